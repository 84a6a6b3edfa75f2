import {
  chmod,
  chown,
  mkdir,
  mkdtemp,
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
import type { Change } from '../../engine/change.js';
import { checkpointFiles } from '../../engine/file-checkpoint.js';
import { Machine } from '../../machine/machine.js';
import {
  applyFileChange,
  checkpointFileChanges,
  type FileSpec,
  MASK_TARGET,
  planFileChanges,
  undoFileChange,
} from './file-changes.js';

const DIR = '/etc/sysctl.d';
let root: string;
let machine: Machine;

async function put(path: string, content: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
}

function plan(current: Record<string, FileSpec>, desired: Record<string, FileSpec>) {
  return planFileChanges({
    plugin: 'kernel',
    kind: 'sysctl-file',
    current: new Map(Object.entries(current)),
    desired: new Map(Object.entries(desired)),
    jsonPathOf: (path) => `$.sections.kernel.config.files[${JSON.stringify(path)}]`,
    riskOf: (path, action) =>
      path.endsWith('net.conf')
        ? { risk: 'high', riskNote: `${action} touches the network` }
        : { risk: 'low' },
  });
}

/** The one change planned to turn `current` into `desired` for `path`. */
function changeFor(path: string, current: FileSpec | undefined, desired: FileSpec | undefined): Change {
  const result = plan(current ? { [path]: current } : {}, desired ? { [path]: desired } : {});
  expect(result.changes).toHaveLength(1);
  return result.changes[0] as Change;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-file-changes-'));
  machine = new Machine({ root, busAddress: 'unix:path=/nonexistent' });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('planFileChanges', () => {
  it('creates, replaces and removes files, sorted by path, in the files phase', () => {
    const result = plan(
      {
        [`${DIR}/b.conf`]: { content: 'b\n' },
        [`${DIR}/c.conf`]: { content: 'c\n' },
        [`${DIR}/same.conf`]: { content: 's' },
      },
      {
        [`${DIR}/b.conf`]: { content: 'b2\n' },
        [`${DIR}/a.conf`]: { content: 'a\n' },
        [`${DIR}/same.conf`]: { content: 's' },
      },
    );
    expect(result.unresolved).toEqual([]);
    expect(result.changes.map((change) => [change.action, change.target, change.phase])).toEqual([
      ['create', `${DIR}/a.conf`, 'files'],
      ['update', `${DIR}/b.conf`, 'files'],
      ['delete', `${DIR}/c.conf`, 'files'],
    ]);
    expect(result.changes[0]).toMatchObject({
      id: `kernel:sysctl-file:${DIR}/a.conf`,
      plugin: 'kernel',
      kind: 'sysctl-file',
      description: `create ${DIR}/a.conf with 2 bytes`,
      risk: 'low',
      after: { content: 'a\n' },
    });
    expect(result.changes[0]).not.toHaveProperty('before');
    expect(result.changes[1]).toMatchObject({ before: { content: 'b\n' }, after: { content: 'b2\n' } });
    expect(result.changes[2]).toMatchObject({
      description: `remove ${DIR}/c.conf`,
      before: { content: 'c\n' },
    });
    expect(result.changes[2]).not.toHaveProperty('after');
  });

  it('turns a file into a symlink or a mask, and describes each', () => {
    const toMask = changeFor(`${DIR}/a.conf`, { content: 'a' }, { symlink: MASK_TARGET });
    expect(toMask.description).toMatch(/a mask \(symlink to \/dev\/null\)/);
    const toLink = changeFor(
      `${DIR}/a.conf`,
      { symlink: MASK_TARGET },
      { symlink: '/usr/lib/sysctl.d/a.conf' },
    );
    expect(toLink).toMatchObject({ action: 'update', after: { symlink: '/usr/lib/sysctl.d/a.conf' } });
    expect(toLink.reason).toMatch(/a mask/);
    expect(plan({ x: { symlink: '/a' } }, { x: { symlink: '/a' } }).changes).toEqual([]);
  });

  it('takes the risk from the plugin', () => {
    expect(changeFor(`${DIR}/net.conf`, undefined, { content: 'x' })).toMatchObject({
      risk: 'high',
      riskNote: 'create touches the network',
    });
  });

  it('refuses to write redacted content that differs, but is content when it is already there', () => {
    const secret = { content: 'key = [REDACTED]\n' };
    const result = plan({ [`${DIR}/k.conf`]: { content: 'key = other\n' } }, { [`${DIR}/k.conf`]: secret });
    expect(result.changes).toEqual([]);
    expect(result.unresolved).toEqual([
      {
        plugin: 'kernel',
        path: `$.sections.kernel.config.files["${DIR}/k.conf"]`,
        description: expect.stringContaining('[REDACTED]'),
        blocking: true,
      },
    ]);
    expect(plan({ [`${DIR}/k.conf`]: secret }, { [`${DIR}/k.conf`]: secret })).toEqual({
      changes: [],
      unresolved: [],
    });
    expect(plan({ [`${DIR}/k.conf`]: secret }, {}).changes.map((change) => change.action)).toEqual([
      'delete',
    ]);
  });
});

describe('applyFileChange and undoFileChange', () => {
  it('removes a drop-in directory with its last drop-in, never a top-level directory', async () => {
    const dropIn = '/etc/systemd/system/a.service.d/override.conf';
    await put(dropIn, '[Service]\n');
    await put(`${DIR}/only.conf`, 'x\n');
    await applyFileChange(changeFor(dropIn, { content: '[Service]\n' }, undefined), machine);
    await applyFileChange(changeFor(`${DIR}/only.conf`, { content: 'x\n' }, undefined), machine);
    expect(await machine.files.entry('/etc/systemd/system/a.service.d')).toEqual({ kind: 'absent' });
    expect(await machine.files.entry(DIR)).toEqual({ kind: 'directory' });
  });

  it('keeps the mode and owner of a file it replaces', async () => {
    const path = '/etc/systemd/network/10-wired.network';
    await put(path, '[Match]\nName=eth0\n');
    await chown(join(root, path), 0, 101);
    await chmod(join(root, path), 0o640);
    await applyFileChange(changeFor(path, { content: 'old' }, { content: '[Match]\nName=eth1\n' }), machine);
    const info = await stat(join(root, path));
    expect([info.mode & 0o7777, info.uid, info.gid]).toEqual([0o640, 0, 101]);
    expect(await readFile(join(root, path), 'utf8')).toBe('[Match]\nName=eth1\n');
  });

  it('creates new files 0644 with their parents, symlinks, and removes files', async () => {
    await applyFileChange(
      changeFor(`${DIR}/new.conf`, undefined, { content: 'vm.swappiness = 10\n' }),
      machine,
    );
    expect((await stat(join(root, DIR, 'new.conf'))).mode & 0o7777).toBe(0o644);
    await applyFileChange(changeFor(`${DIR}/masked.conf`, undefined, { symlink: MASK_TARGET }), machine);
    expect(await readlink(join(root, DIR, 'masked.conf'))).toBe('/dev/null');
    await applyFileChange(changeFor(`${DIR}/new.conf`, { content: 'x' }, undefined), machine);
    expect(await machine.files.entry(`${DIR}/new.conf`)).toEqual({ kind: 'absent' });
  });

  it('replaces a symlink with a file rather than writing through it', async () => {
    await put('/usr/lib/sysctl.d/vendor.conf', 'vendor\n');
    await mkdir(join(root, DIR), { recursive: true });
    await symlink('/usr/lib/sysctl.d/vendor.conf', join(root, DIR, 'vendor.conf'));
    await applyFileChange(
      changeFor(`${DIR}/vendor.conf`, { symlink: '/usr/lib/sysctl.d/vendor.conf' }, { content: 'admin\n' }),
      machine,
    );
    expect(await machine.files.entry(`${DIR}/vendor.conf`)).toMatchObject({ kind: 'file', mode: 0o644 });
    expect(await readFile(join(root, 'usr/lib/sysctl.d/vendor.conf'), 'utf8')).toBe('vendor\n');
  });

  it('undoes each change from its checkpoint exactly, and again without harm', async () => {
    await put(`${DIR}/edit.conf`, 'before\n');
    await chmod(join(root, DIR, 'edit.conf'), 0o600);
    await put(`${DIR}/gone.conf`, 'gone\n');
    await symlink('/usr/lib/x.conf', join(root, DIR, 'link.conf'));
    const changes = [
      changeFor(`${DIR}/edit.conf`, { content: 'before\n' }, { content: 'after\n' }),
      changeFor(`${DIR}/gone.conf`, { content: 'gone\n' }, undefined),
      changeFor(`${DIR}/link.conf`, { symlink: '/usr/lib/x.conf' }, { symlink: MASK_TARGET }),
      changeFor(`${DIR}/new.conf`, undefined, { content: 'new\n' }),
    ];
    const before = await checkpointFiles(
      machine,
      changes.map((change) => change.target),
    );
    const checkpoint = JSON.parse(JSON.stringify(await checkpointFileChanges(changes, machine)));
    expect(checkpoint).toEqual(JSON.parse(JSON.stringify(before)));
    for (const change of changes) await applyFileChange(change, machine);
    expect(await readFile(join(root, DIR, 'new.conf'), 'utf8')).toBe('new\n');

    for (let round = 0; round < 2; round++) {
      for (const change of changes) await undoFileChange(change, checkpoint, machine);
      expect(
        await checkpointFiles(
          machine,
          changes.map((change) => change.target),
        ),
      ).toEqual(before);
    }
    expect(await readFile(join(root, DIR, 'edit.conf'), 'utf8')).toBe('before\n');
    expect((await stat(join(root, DIR, 'edit.conf'))).mode & 0o7777).toBe(0o600);
  });

  it('undoes a change that never took effect', async () => {
    const change = changeFor(`${DIR}/new.conf`, undefined, { content: 'new\n' });
    const checkpoint = await checkpointFileChanges([change], machine);
    await undoFileChange(change, checkpoint, machine);
    expect(await machine.files.entry(`${DIR}/new.conf`)).toEqual({ kind: 'absent' });
  });

  it('refuses to checkpoint a directory, and to undo a path the checkpoint lacks', async () => {
    await mkdir(join(root, DIR, 'sub.conf'), { recursive: true });
    await expect(checkpointFiles(machine, [`${DIR}/sub.conf`])).rejects.toThrow(/is a directory/);
    const change = changeFor(`${DIR}/x.conf`, undefined, { content: 'x' });
    await expect(undoFileChange(change, {}, machine)).rejects.toThrow(/no copy of/);
  });
});
