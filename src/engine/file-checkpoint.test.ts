import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Machine } from '../machine/machine.js';
import { checkpointFiles, restoreFile } from './file-checkpoint.js';

let root: string;
let machine: Machine;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-checkpoint-'));
  machine = new Machine({ root, busAddress: 'unix:path=/nonexistent' });
  await mkdir(join(root, 'etc/systemd/system'), { recursive: true });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('file checkpoints', () => {
  it('restores a file that did not exist by removing it and the directories its write created', async () => {
    const path = '/etc/systemd/system/a.service.d/deep/x.conf';
    const checkpoint = await checkpointFiles(machine, [path]);
    expect(checkpoint[path]).toEqual({ kind: 'absent', createdFrom: '/etc/systemd/system/a.service.d' });
    await machine.files.writeFile(path, 'x');
    await restoreFile(machine, checkpoint, path);
    expect(await readdir(join(root, 'etc/systemd/system'))).toEqual([]);
  });

  it('keeps a created directory something else was put in meanwhile', async () => {
    const path = '/etc/systemd/system/a.service.d/x.conf';
    const checkpoint = await checkpointFiles(machine, [path]);
    await machine.files.writeFile(path, 'x');
    await writeFile(join(root, 'etc/systemd/system/a.service.d/other.conf'), 'y');
    await restoreFile(machine, checkpoint, path);
    expect(await readdir(join(root, 'etc/systemd/system/a.service.d'))).toEqual(['other.conf']);
  });

  it('never removes directories that existed at the checkpoint', async () => {
    const path = '/etc/systemd/system/x.service';
    const checkpoint = await checkpointFiles(machine, [path]);
    expect(checkpoint[path]).toEqual({ kind: 'absent' });
    await machine.files.writeFile(path, 'x');
    await restoreFile(machine, checkpoint, path);
    expect(await readdir(join(root, 'etc/systemd'))).toEqual(['system']);
  });

  it('restores content, mode and symlinks exactly', async () => {
    await machine.files.writeFile('/etc/a.conf', 'old', { mode: 0o640 });
    await machine.files.writeSymlink('/etc/b.conf', '/dev/null');
    const checkpoint = await checkpointFiles(machine, ['/etc/a.conf', '/etc/b.conf']);
    await machine.files.writeFile('/etc/a.conf', 'new');
    await machine.files.removeFile('/etc/b.conf');
    await restoreFile(machine, checkpoint, '/etc/a.conf');
    await restoreFile(machine, checkpoint, '/etc/b.conf');
    const a = await machine.files.entry('/etc/a.conf');
    expect(a.kind === 'file' && [a.content.toString(), a.mode]).toEqual(['old', 0o640]);
    expect(await machine.files.entry('/etc/b.conf')).toEqual({ kind: 'symlink', target: '/dev/null' });
  });

  it('refuses to checkpoint a directory it would have to replace', async () => {
    await expect(checkpointFiles(machine, ['/etc/systemd'])).rejects.toThrow(/is a directory/);
  });
});
