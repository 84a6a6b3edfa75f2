import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RootFs } from './root-fs.js';

const root = mkdtempSync(join(tmpdir(), 'opdbus-rootfs-'));
mkdirSync(join(root, 'etc/systemd/system'), { recursive: true });
mkdirSync(join(root, 'usr/lib/systemd/system'), { recursive: true });
writeFileSync(join(root, 'usr/lib/systemd/system/ssh.service'), '[Unit]\nDescription=inside\n');
writeFileSync(join(root, 'etc/hostname'), 'target\n');
// Absolute links as a container has them: they must resolve inside the root, not on the host.
symlinkSync('/usr/lib/systemd/system/ssh.service', join(root, 'etc/systemd/system/sshd.service'));
symlinkSync('/usr/lib', join(root, 'lib'));
symlinkSync('/dev/null', join(root, 'etc/systemd/system/masked.service'));
symlinkSync('../../../../etc/hostname', join(root, 'etc/systemd/system/relative-escape'));
symlinkSync('loop-b', join(root, 'loop-a'));
symlinkSync('loop-a', join(root, 'loop-b'));

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('RootFs', () => {
  const files = new RootFs(root);

  it('resolves absolute symlinks against the root', async () => {
    expect(await files.readText('/etc/systemd/system/sshd.service')).toBe('[Unit]\nDescription=inside\n');
    expect(await files.readText('/lib/systemd/system/ssh.service')).toBe('[Unit]\nDescription=inside\n');
  });

  it('never climbs above the root with ..', async () => {
    expect(await files.resolve('/../../etc/hostname')).toBe(join(root, 'etc/hostname'));
    expect(await files.readText('/etc/systemd/system/relative-escape')).toBe('target\n');
  });

  it('returns undefined or empty for missing files and directories', async () => {
    expect(await files.readText('/etc/nothing')).toBeUndefined();
    expect(await files.readDir('/etc/nothing.d')).toEqual([]);
    expect(await files.exists('/etc/nothing')).toBe(false);
    expect(await files.exists('/etc/hostname')).toBe(true);
  });

  it('lists directories sorted with entry kinds, and reads links as written', async () => {
    expect(await files.readDir('/etc/systemd/system')).toEqual([
      { name: 'masked.service', kind: 'symlink' },
      { name: 'relative-escape', kind: 'symlink' },
      { name: 'sshd.service', kind: 'symlink' },
    ]);
    expect(await files.readLink('/etc/systemd/system/masked.service')).toBe('/dev/null');
    expect(await files.readLink('/etc/hostname')).toBeUndefined();
  });

  it('fails clearly on symlink loops and relative paths', async () => {
    await expect(files.readText('/loop-a')).rejects.toThrow(/too many symlinks/);
    await expect(files.readText('etc/hostname')).rejects.toThrow(/must be absolute/);
  });

  it('resolves the same way through a directory-caching view', async () => {
    const cached = files.withDirectoryCache();
    for (const path of [
      '/etc/systemd/system/sshd.service',
      '/lib/systemd/system/ssh.service',
      '/etc/nothing',
      '/../../etc/hostname',
    ]) {
      expect(await cached.resolve(path)).toBe(await files.resolve(path));
    }
    expect(await cached.readText('/lib/systemd/system/ssh.service')).toBe('[Unit]\nDescription=inside\n');
    expect(await cached.readText('/etc/systemd/system/relative-escape')).toBe('target\n');
  });

  it('passes paths through unchanged for the host root', async () => {
    expect(await new RootFs('/').resolve('/etc/../etc/hostname')).toBe('/etc/hostname');
  });
});
