// The path checks a desired document must pass, and their use in the systemd section's schema.
import { describe, expect, it } from 'vitest';
import { describeZodIssues } from '../../state/document.js';
import { isAdminUnitFilePath } from '../systemd/admin-files.js';
import { type SystemdConfig, systemdConfigSchema } from '../systemd/schema.js';
import { MAX_FILE_BYTES } from './limits.js';
import { hasControlCharacters, isCleanAbsolutePath } from './safe-path.js';

const ETC = '/etc/systemd/system';

describe('hasControlCharacters', () => {
  it('finds C0 control characters and DEL, and nothing in plain or non-ASCII text', () => {
    for (const text of ['a\nb', 'a\rb', 'a\0b', 'a\tb', 'a\x1bb', 'a\x7fb'])
      expect(hasControlCharacters(text)).toBe(true);
    for (const text of ['', 'plain text', 'ünïcödé', 'a\u00a0b'])
      expect(hasControlCharacters(text)).toBe(false);
  });
});

describe('isCleanAbsolutePath', () => {
  it('accepts absolute paths of plain components', () => {
    for (const path of ['/opt/app/linked.service', '/dev/null', '/srv/a b/c.d', '/x'])
      expect(isCleanAbsolutePath(path), path).toBe(true);
  });

  it('refuses relative paths, ., .., empty components, control characters and huge paths', () => {
    for (const path of [
      '',
      '/',
      'opt/app',
      './opt',
      '/opt/../etc/shadow',
      '/opt/..',
      '/opt/./x',
      '/opt//x',
      '/opt/x/',
      '/opt/x\n/y',
      '/opt/\0',
      `/${'a'.repeat(4096)}`,
    ])
      expect(isCleanAbsolutePath(path), JSON.stringify(path)).toBe(false);
  });
});

describe('isAdminUnitFilePath', () => {
  it('accepts unit files and drop-ins of a unit, of a prefix and of a unit type', () => {
    for (const path of [
      `${ETC}/app.service`,
      `${ETC}/getty@.service`,
      `${ETC}/getty@tty1.service`,
      `${ETC}/multi-user.target`,
      `${ETC}/app.service.d/override.conf`,
      `${ETC}/app-.service.d/10-all.conf`,
      `${ETC}/service.d/10-all.conf`,
    ])
      expect(isAdminUnitFilePath(path), path).toBe(true);
  });

  it('refuses paths outside the admin unit directory, .., deeper levels, hidden files and odd names', () => {
    for (const path of [
      '/etc/shadow',
      `${ETC}/../../shadow`,
      `${ETC}/../system/app.service`,
      `${ETC}/app.service.d/../../../shadow`,
      `${ETC}/app.service.d/sub/x.conf`,
      `${ETC}/app.service.d/x.txt`,
      `${ETC}/app.service.d/.hidden.conf`,
      `${ETC}/.hidden.service`,
      `${ETC}/myapp.d/x.conf`,
      `${ETC}/app.env`,
      `${ETC}/`,
      `${ETC}//app.service`,
      `${ETC}/app.service/`,
      `${ETC}.control/app.service`,
      '/run/systemd/system/app.service',
      'etc/systemd/system/app.service',
      `${ETC}/app\n.service`,
      `${ETC}/app.service.d/x\n.conf`,
      `${ETC}/app.service.d/x\0.conf`,
    ])
      expect(isAdminUnitFilePath(path), JSON.stringify(path)).toBe(false);
  });
});

describe('systemd configSchema', () => {
  const valid: SystemdConfig = {
    defaultTarget: 'multi-user.target',
    unitFiles: { 'app.service': 'enabled' },
    activeState: { 'app.service': 'active' },
    files: {
      [`${ETC}/app.service`]: { content: '[Service]\nExecStart=/usr/bin/app\n' },
      [`${ETC}/app.service.d/override.conf`]: { content: '[Service]\nNice=5\n' },
      [`${ETC}/linked.service`]: { linkTo: '/opt/app/linked.service' },
    },
  };

  /** The problems of `valid` with `files` replaced, as `$.path: message` lines. */
  function problemsWithFiles(files: Record<string, unknown>): string[] {
    const result = systemdConfigSchema.safeParse({ ...valid, files });
    return result.success ? [] : describeZodIssues(result.error.issues);
  }

  it('accepts a valid config', () => {
    expect(systemdConfigSchema.safeParse(valid).success).toBe(true);
    expect(problemsWithFiles({ [`${ETC}/big.service`]: { content: 'x'.repeat(MAX_FILE_BYTES) } })).toEqual(
      [],
    );
  });

  it('refuses file paths outside the admin unit directory, naming the path', () => {
    for (const path of [
      '/etc/shadow',
      `${ETC}/../../shadow`,
      `${ETC}/app.service.d/a/b.conf`,
      `${ETC}/x\n.service`,
    ]) {
      const problems = problemsWithFiles({ [path]: { content: 'x' } });
      expect(problems, JSON.stringify(path)).toHaveLength(1);
      expect(problems[0]?.startsWith(`$.files[${JSON.stringify(path)}]: `), problems[0]).toBe(true);
    }
  });

  it('refuses contents larger than 1 MiB (counted in bytes), naming the file', () => {
    const problems = problemsWithFiles({
      [`${ETC}/big.service`]: { content: 'é'.repeat(MAX_FILE_BYTES / 2 + 1) },
    });
    expect(problems).toEqual([`$.files["${ETC}/big.service"].content: larger than ${MAX_FILE_BYTES} bytes`]);
  });

  it('refuses link targets that are relative or have .., . or control characters', () => {
    for (const linkTo of [
      '/opt/../etc/shadow',
      'opt/app.service',
      '/opt/./a.service',
      '/opt/a\n.service',
      '',
    ]) {
      const problems = problemsWithFiles({ [`${ETC}/linked.service`]: { linkTo } });
      expect(problems.join('\n'), JSON.stringify(linkTo)).toContain(`$.files["${ETC}/linked.service"]`);
    }
  });

  it('refuses a file that is both content and link, or neither', () => {
    expect(
      problemsWithFiles({ [`${ETC}/a.service`]: { content: 'x', linkTo: '/opt/a.service' } }),
    ).not.toEqual([]);
    expect(problemsWithFiles({ [`${ETC}/a.service`]: {} })).not.toEqual([]);
  });

  it('refuses unit names systemd would refuse', () => {
    for (const name of ['../x.service', 'a/b.service', 'x.conf', 'x\n.service', 'x;rm.service']) {
      const result = systemdConfigSchema.safeParse({ ...valid, unitFiles: { [name]: 'enabled' } });
      expect(result.success, JSON.stringify(name)).toBe(false);
    }
    expect(systemdConfigSchema.safeParse({ ...valid, defaultTarget: '../rescue.target' }).success).toBe(
      false,
    );
  });
});
