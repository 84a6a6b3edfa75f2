import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../shared/limits.js';
import { type KernelConfig, kernelConfigSchema } from './schema.js';

const emptyModprobe = { options: {}, blacklist: [], install: {}, remove: {}, aliases: [], softdeps: {} };
const base: KernelConfig = {
  files: {},
  commandLine: ['quiet'],
  modulesLoad: [],
  modprobe: emptyModprobe,
  sysctl: {},
};

function issuesOf(config: unknown): { path: PropertyKey[]; message: string }[] {
  const parsed = kernelConfigSchema.safeParse(config);
  return parsed.success ? [] : parsed.error.issues.map(({ path, message }) => ({ path, message }));
}

const withFile = (path: string, file: unknown = { content: 'vm.swappiness = 10\n' }) => ({
  ...base,
  files: { [path]: file },
});

describe('kernelConfigSchema', () => {
  it('accepts the admin files the tools read', () => {
    for (const path of [
      '/etc/sysctl.conf',
      '/etc/modules',
      '/etc/sysctl.d/99-sysctl.conf',
      '/etc/modules-load.d/my modules.conf',
      '/etc/modprobe.d/blacklist-nouveau.conf',
    ])
      expect(issuesOf(withFile(path)), path).toEqual([]);
    expect(
      issuesOf({
        ...base,
        files: {
          '/etc/sysctl.conf': { content: '' },
          '/etc/sysctl.d/99-sysctl.conf': { linkTo: '/etc/sysctl.conf' },
        },
      }),
    ).toEqual([]);
    expect(issuesOf(withFile('/etc/sysctl.d/10-x.conf', { masked: true }))).toEqual([]);
  });

  it('refuses every other path, naming it', () => {
    for (const path of [
      '/etc/passwd',
      '/etc/sysctl.d/../passwd.conf',
      '/etc/sysctl.d/..conf',
      '/etc/sysctl.d/.hidden.conf',
      '/etc/sysctl.d/sub/x.conf',
      '/etc/sysctl.d/x.conf\n/etc/passwd',
      '/etc/sysctl.d/x\n.conf',
      '/etc/sysctl.d/x.txt',
      '/etc/sysctl.d/.conf',
      '/usr/lib/sysctl.d/50-default.conf',
      'etc/sysctl.conf',
      '/etc/modprobe.d//x.conf',
    ]) {
      const issues = issuesOf(withFile(path));
      expect(issues.length, JSON.stringify(path)).toBeGreaterThan(0);
      expect(issues[0]?.path, JSON.stringify(path)).toEqual(['files', path]);
    }
  });

  it('refuses oversized contents, links outside the section or to nothing, and forged masks', () => {
    const big = 'x'.repeat(MAX_FILE_BYTES + 1);
    expect(issuesOf(withFile('/etc/sysctl.conf', { content: big }))).toEqual([
      { path: ['files', '/etc/sysctl.conf', 'content'], message: `larger than ${MAX_FILE_BYTES} bytes` },
    ]);
    expect(issuesOf(withFile('/etc/sysctl.d/a.conf', { linkTo: '/etc/shadow' }))[0]?.path).toEqual([
      'files',
      '/etc/sysctl.d/a.conf',
      'linkTo',
    ]);
    expect(issuesOf(withFile('/etc/sysctl.d/a.conf', { linkTo: '/etc/sysctl.conf' }))).toEqual([
      {
        path: ['files', '/etc/sysctl.d/a.conf', 'linkTo'],
        message: 'must name a file of this section with content or a mask, in at most 8 links',
      },
    ]);
    const loop = {
      '/etc/sysctl.d/a.conf': { linkTo: '/etc/sysctl.d/b.conf' },
      '/etc/sysctl.d/b.conf': { linkTo: '/etc/sysctl.d/a.conf' },
    };
    expect(issuesOf({ ...base, files: loop }).map((issue) => issue.path)).toEqual([
      ['files', '/etc/sysctl.d/a.conf', 'linkTo'],
      ['files', '/etc/sysctl.d/b.conf', 'linkTo'],
    ]);
    expect(issuesOf(withFile('/etc/sysctl.d/a.conf', { masked: false })).length).toBeGreaterThan(0);
    expect(issuesOf(withFile('/etc/sysctl.d/a.conf', { content: 'x', masked: true })).length).toBeGreaterThan(
      0,
    );
  });

  it('takes command-line parameters one at a time', () => {
    expect(issuesOf({ ...base, commandLine: ['quiet', 'foo="a b"', 'console=ttyS0,115200n8'] })).toEqual([]);
    for (const token of ['quiet splash', 'a\nb', '--', '', 'x\u0000'])
      expect(issuesOf({ ...base, commandLine: ['quiet', token] })[0]?.path, JSON.stringify(token)).toEqual([
        'commandLine',
        1,
      ]);
  });
});
