import { describe, expect, it } from 'vitest';
import { packagesConfigSchema } from './schema.js';

const bash = { version: '5.2.15-2+b2', architecture: 'amd64', manual: true };

function issuesOf(packages: Record<string, unknown>): { path: PropertyKey[]; message: string }[] {
  const parsed = packagesConfigSchema.safeParse({ packages });
  return parsed.success ? [] : parsed.error.issues.map(({ path, message }) => ({ path, message }));
}

describe('packagesConfigSchema', () => {
  it('accepts Debian package names, foreign-architecture keys, epochs and tildes', () => {
    expect(
      issuesOf({
        bash,
        'g++': { ...bash, version: '4:12.2.0-3' },
        'libc6:i386': { ...bash, architecture: 'i386' },
        'libstdc++6': { ...bash, version: '12.2.0-14~deb12u1' },
        'python3.11': bash,
        oldpkg: { ...bash, architecture: '' },
      }),
    ).toEqual([]);
  });

  it('refuses keys that are no package name, naming the key', () => {
    for (const key of [
      '../etc',
      'bash/..',
      'a/b',
      '..',
      'two words',
      'bash;rm -rf /',
      'bash$(id)',
      'bash`id`',
      'bash|cat',
      'bash&',
      'bash\nzsh',
      'bash\n',
      'Bash',
      'x',
      '-bash',
      'bash:',
      'bash:i386:amd64',
      'bash:-x',
    ]) {
      const issues = issuesOf({ [key]: bash });
      expect(issues.length, JSON.stringify(key)).toBeGreaterThan(0);
      expect(issues[0]?.path, JSON.stringify(key)).toEqual(['packages', key]);
    }
  });

  it('refuses versions and architectures dpkg would refuse, naming the field', () => {
    for (const version of ['', '1.0 beta', '1.0\n', '1.0;id', '$(id)'])
      expect(issuesOf({ bash: { ...bash, version } })[0]?.path, JSON.stringify(version)).toEqual([
        'packages',
        'bash',
        'version',
      ]);
    for (const architecture of ['AMD64', 'amd64\n', 'amd 64', '../x', '-x'])
      expect(issuesOf({ bash: { ...bash, architecture } })[0]?.path, JSON.stringify(architecture)).toEqual([
        'packages',
        'bash',
        'architecture',
      ]);
  });

  it('refuses unknown fields', () => {
    expect(issuesOf({ bash: { ...bash, script: 'rm -rf /' } })[0]?.path).toEqual(['packages', 'bash']);
  });
});
