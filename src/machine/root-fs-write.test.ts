import {
  chmod,
  chown,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Machine } from './machine.js';

let root: string;
let outside: string;
let machine: Machine;

async function put(path: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
}

async function plantLink(path: string, target: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await symlink(target, join(root, path));
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-root-write-'));
  outside = await mkdtemp(join(tmpdir(), 'op-dbus-outside-'));
  machine = new Machine({ root, busAddress: 'unix:path=/nonexistent' });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('RootFs writes', () => {
  it('writes a file atomically, creating missing parents, with mode 0644 unless told', async () => {
    await machine.files.writeFile('/etc/systemd/system/app.service.d/x.conf', '[Service]\nNice=5\n');
    expect(await readFile(join(root, 'etc/systemd/system/app.service.d/x.conf'), 'utf8')).toBe(
      '[Service]\nNice=5\n',
    );
    expect((await stat(join(root, 'etc/systemd/system/app.service.d/x.conf'))).mode & 0o7777).toBe(0o644);
    expect((await stat(join(root, 'etc/systemd/system/app.service.d'))).isDirectory()).toBe(true);
    expect(await readdir(join(root, 'etc/systemd/system/app.service.d'))).toEqual(['x.conf']);
  });

  it('writes the mode and owner it is given, and replaces an existing file', async () => {
    await put('/etc/secret.conf', 'old');
    await machine.files.writeFile('/etc/secret.conf', Buffer.from([0, 1, 2, 255]), {
      mode: 0o640,
      uid: 1234,
      gid: 5678,
    });
    const info = await stat(join(root, 'etc/secret.conf'));
    expect([info.mode & 0o7777, info.uid, info.gid]).toEqual([0o640, 1234, 5678]);
    expect(await readFile(join(root, 'etc/secret.conf'))).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('replaces a symlink at the path instead of writing through it', async () => {
    await put('/usr/lib/target.conf', 'vendor\n');
    await plantLink('/etc/link.conf', '/usr/lib/target.conf');
    await machine.files.writeFile('/etc/link.conf', 'admin\n');
    expect((await lstat(join(root, 'etc/link.conf'))).isFile()).toBe(true);
    expect(await readFile(join(root, 'usr/lib/target.conf'), 'utf8')).toBe('vendor\n');
  });

  it('is not blocked by a temporary file a crashed write of the same PID left behind', async () => {
    // A container's op-dbus often gets the same small PID again after a crash.
    await put(`/etc/.app.conf.op-dbus-${process.pid}.tmp`, 'half');
    await machine.files.writeFile('/etc/app.conf', 'whole\n');
    expect(await readFile(join(root, 'etc/app.conf'), 'utf8')).toBe('whole\n');
  });

  it('creates and replaces symlinks, keeping the target as written', async () => {
    await machine.files.writeSymlink('/etc/systemd/system/linked.service', '/opt/app/linked.service');
    expect(await readlink(join(root, 'etc/systemd/system/linked.service'))).toBe('/opt/app/linked.service');
    await machine.files.writeSymlink('/etc/systemd/system/linked.service', '../../../srv/linked.service');
    expect(await readlink(join(root, 'etc/systemd/system/linked.service'))).toBe(
      '../../../srv/linked.service',
    );
    await put('/etc/plain.conf', 'x');
    await machine.files.writeSymlink('/etc/plain.conf', '/dev/null');
    expect(await machine.files.entry('/etc/plain.conf')).toEqual({ kind: 'symlink', target: '/dev/null' });
    expect(await readdir(join(root, 'etc'))).toEqual(['plain.conf', 'systemd']);
  });

  it('removes files and symlinks, does nothing for a missing path, and refuses directories', async () => {
    await put('/etc/a.conf', 'a');
    await plantLink('/etc/b.conf', '/etc/a.conf');
    await machine.files.removeFile('/etc/b.conf');
    expect(await machine.files.entry('/etc/b.conf')).toEqual({ kind: 'absent' });
    expect(await machine.files.entry('/etc/a.conf')).toMatchObject({ kind: 'file' });
    await machine.files.removeFile('/etc/a.conf');
    expect(await readdir(join(root, 'etc'))).toEqual([]);
    await machine.files.removeFile('/etc/a.conf');
    await machine.files.removeFile('/no/such/dir/file');
    await mkdir(join(root, 'etc/dir.d'));
    await expect(machine.files.removeFile('/etc/dir.d')).rejects.toThrow(/is a directory/);
    expect((await stat(join(root, 'etc/dir.d'))).isDirectory()).toBe(true);
  });

  it('reports each kind of entry without following a final symlink', async () => {
    await put('/etc/a.conf', 'a');
    await chmod(join(root, 'etc/a.conf'), 0o600);
    await plantLink('/etc/masked.service', '/dev/null');
    expect(await machine.files.entry('/etc/a.conf')).toEqual({
      kind: 'file',
      content: Buffer.from('a'),
      mode: 0o600,
      uid: process.getuid?.(),
      gid: process.getgid?.(),
    });
    expect(await machine.files.entry('/etc/masked.service')).toEqual({
      kind: 'symlink',
      target: '/dev/null',
    });
    expect(await machine.files.entry('/etc')).toEqual({ kind: 'directory' });
    expect(await machine.files.entry('/etc/none')).toEqual({ kind: 'absent' });
  });

  it('restores an entry exactly: bytes, mode and owner, symlink target, or absence', async () => {
    const bytes = Buffer.from([0x00, 0xff, 0x0a, 0x80, 0x7f]);
    await put('/etc/net.network', bytes);
    await chmod(join(root, 'etc/net.network'), 0o640);
    await chown(join(root, 'etc/net.network'), 100, 101);
    await plantLink('/etc/link', '../usr/lib/x');
    const file = await machine.files.entry('/etc/net.network');
    const link = await machine.files.entry('/etc/link');
    const absent = await machine.files.entry('/etc/new.conf');

    await machine.files.writeFile('/etc/net.network', 'changed', { mode: 0o644, uid: 0, gid: 0 });
    await machine.files.writeFile('/etc/link', 'now a file');
    await machine.files.writeFile('/etc/new.conf', 'created');
    await machine.files.restoreEntry('/etc/net.network', file);
    await machine.files.restoreEntry('/etc/link', link);
    await machine.files.restoreEntry('/etc/new.conf', absent);

    const info = await stat(join(root, 'etc/net.network'));
    expect([info.mode & 0o7777, info.uid, info.gid]).toEqual([0o640, 100, 101]);
    expect(await readFile(join(root, 'etc/net.network'))).toEqual(bytes);
    expect(await readlink(join(root, 'etc/link'))).toBe('../usr/lib/x');
    expect(await machine.files.entry('/etc/new.conf')).toEqual({ kind: 'absent' });
    await machine.files.restoreEntry('/etc/new.conf', absent);
  });

  it('restores set-user-ID and set-group-ID bits along with the owner', async () => {
    await put('/usr/local/bin/tool', '#!/bin/sh\n');
    await chown(join(root, 'usr/local/bin/tool'), 100, 101);
    await chmod(join(root, 'usr/local/bin/tool'), 0o6755);
    const saved = await machine.files.entry('/usr/local/bin/tool');
    expect(saved).toMatchObject({ mode: 0o6755, uid: 100, gid: 101 });
    await machine.files.writeFile('/usr/local/bin/tool', 'changed');
    await machine.files.restoreEntry('/usr/local/bin/tool', saved);
    expect((await stat(join(root, 'usr/local/bin/tool'))).mode & 0o7777).toBe(0o6755);
  });

  it('refuses to restore directories and other kinds it never changes', async () => {
    await expect(machine.files.restoreEntry('/etc/x', { kind: 'directory' })).rejects.toThrow(/directory/);
  });

  it('keeps every write inside the root when a directory of the machine is an absolute symlink', async () => {
    // /etc inside the machine points at a path that also exists on the host: it must resolve in the root.
    await plantLink('/etc', outside);
    await machine.files.writeFile('/etc/systemd/system/app.service', 'inside\n');
    await machine.files.writeSymlink('/etc/link.conf', '/dev/null');
    await mkdir(join(root, outside), { recursive: true });
    await writeFile(join(root, outside, 'gone.conf'), 'x');
    await writeFile(join(outside, 'gone.conf'), 'host file');
    await machine.files.removeFile('/etc/gone.conf');

    expect(await readdir(outside)).toEqual(['gone.conf']);
    expect(await readFile(join(outside, 'gone.conf'), 'utf8')).toBe('host file');
    expect(await readFile(join(root, outside, 'systemd/system/app.service'), 'utf8')).toBe('inside\n');
    expect(await readlink(join(root, outside, 'link.conf'))).toBe('/dev/null');
    expect(await readdir(join(root, outside))).toEqual(['link.conf', 'systemd']);
  });

  it('keeps writes inside the root through .. components and relative symlinks climbing out', async () => {
    await plantLink('/etc/up', '../../../../..');
    await machine.files.writeFile('/../../etc/a.conf', 'a');
    await machine.files.writeFile('/etc/up/etc/b.conf', 'b');
    expect(await readFile(join(root, 'etc/a.conf'), 'utf8')).toBe('a');
    expect(await readFile(join(root, 'etc/b.conf'), 'utf8')).toBe('b');
  });

  it('refuses relative paths and the root itself', async () => {
    await expect(machine.files.writeFile('etc/a.conf', 'a')).rejects.toThrow(/absolute|machine root/);
    await expect(machine.files.writeFile('/', 'a')).rejects.toThrow(/machine root/);
    await expect(machine.files.removeFile('/')).rejects.toThrow(/machine root/);
  });
});
