import { chmod, mkdir, mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Machine } from '../../machine/machine.js';
import type { ApplyContext } from '../types.js';
import { kernelPlugin } from './index.js';
import { mergeAdminFiles } from './merge-admin-files.js';

let root: string;
let machine: Machine;
const context: ApplyContext = { progress: () => undefined, changeTimeoutMs: 5000 };
const writer = kernelPlugin.writer as NonNullable<typeof kernelPlugin.writer>;

async function put(path: string, text: string): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), text);
}

const read = (path: string) => readFile(join(root, path), 'utf8');

async function discover() {
  const found = await kernelPlugin.discover(machine, { managedBusNames: new Map() });
  return { config: found.config, facts: found.facts };
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-kernel-apply-'));
  machine = new Machine({ root, busAddress: `unix:path=${root}/no-bus` });
});

afterEach(async () => {
  await machine.close();
  await rm(root, { recursive: true, force: true });
});

describe('kernel writer on a machine root', () => {
  it('rewrites the boot loader files and undoes it from the checkpoint', async () => {
    const grub =
      '# keep me\nGRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"\nGRUB_CMDLINE_LINUX="root=/dev/vda1"\n';
    await put('/etc/default/grub', grub);
    await chmod(join(root, 'etc/default/grub'), 0o600);
    await put('/etc/kernel/cmdline', 'root=UUID=1 rw quiet\n');
    const before = await discover();
    const desired = { ...before.config, commandLine: ['quiet', 'foo="a b"'] };

    const plan = writer.plan(before, desired, { prune: false });
    expect(plan.unresolved).toEqual([]);
    const checkpoint = JSON.parse(JSON.stringify(await writer.checkpoint(plan.changes, machine)));
    for (const change of plan.changes) await writer.apply(change, machine, context);

    expect(await read('/etc/default/grub')).toBe(grub.replace('"quiet"', '"quiet foo=\\"a b\\""'));
    expect((await stat(join(root, 'etc/default/grub'))).mode & 0o777).toBe(0o600);
    expect(await read('/etc/kernel/cmdline')).toBe('root=UUID=1 rw quiet foo="a b"\n');
    const after = await discover();
    expect(after.config.commandLine).toEqual(desired.commandLine);
    expect(writer.plan(after, desired, { prune: false })).toEqual({ changes: [], unresolved: [] });

    for (const change of [...plan.changes].reverse()) await writer.undo(change, checkpoint, machine, context);
    expect(await read('/etc/default/grub')).toBe(grub);
    expect(await read('/etc/kernel/cmdline')).toBe('root=UUID=1 rw quiet\n');
  });

  it('writes, masks and removes admin files, and undo puts each back exactly', async () => {
    await put('/etc/sysctl.conf', 'vm.swappiness = 60\n');
    await put('/etc/modprobe.d/old.conf', 'blacklist pcspkr\n');
    const before = await discover();
    const files = {
      '/etc/sysctl.conf': { content: 'vm.swappiness = 10\n' },
      '/etc/sysctl.d/50-default.conf': { masked: true as const },
      '/etc/sysctl.d/99-sysctl.conf': { linkTo: '/etc/sysctl.conf' },
    };
    const desired = { ...before.config, files, ...mergeAdminFiles(files) };

    const plan = writer.plan(before, desired, { prune: false });
    const fileChanges = plan.changes.filter((change) => change.phase === 'files');
    expect(fileChanges.map((change) => change.action)).toEqual(['delete', 'update', 'create', 'create']);
    const checkpoint = JSON.parse(JSON.stringify(await writer.checkpoint(plan.changes, machine)));
    for (const change of fileChanges) await writer.apply(change, machine, context);

    expect(await read('/etc/sysctl.conf')).toBe('vm.swappiness = 10\n');
    expect(await readlink(join(root, 'etc/sysctl.d/50-default.conf'))).toBe('/dev/null');
    expect(await readlink(join(root, 'etc/sysctl.d/99-sysctl.conf'))).toBe('/etc/sysctl.conf');
    expect(writer.plan(await discover(), desired, { prune: false })).toEqual({ changes: [], unresolved: [] });

    for (const change of [...fileChanges].reverse()) {
      await writer.undo(change, checkpoint, machine, context);
      await writer.undo(change, checkpoint, machine, context);
    }
    expect((await discover()).config).toEqual(before.config);
  });
});
