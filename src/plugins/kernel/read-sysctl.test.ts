import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RootFs } from '../../machine/root-fs.js';
import { readSysctl } from './read-sysctl.js';

let root: string;

async function put(path: string, text: string): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), text);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-sysctl-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readSysctl', () => {
  it('applies files in systemd order, reads /etc/sysctl.conf once, and honours masks', async () => {
    await put('/usr/lib/sysctl.d/50-pid-max.conf', 'kernel.pid_max = 4194304\n');
    await put('/usr/lib/sysctl.d/99-protect-links.conf', 'fs.protected_regular = 2\n');
    await put('/usr/lib/sysctl.d/70-late-vendor.conf', 'vm.swappiness = 60\n');
    await put('/run/sysctl.d/10-runtime.conf', 'net.core.somaxconn = 1024\n');
    await put('/etc/sysctl.d/60-local.conf', 'vm.swappiness = 10\nkernel.pid_max = 65536\nbroken line\n');
    await put('/etc/sysctl.conf', '# Debian default\nnet.ipv4.ip_forward=1\n');
    await symlink('../sysctl.conf', join(root, 'etc/sysctl.d/99-sysctl.conf'));
    await symlink('/dev/null', join(root, 'etc/sysctl.d/99-protect-links.conf'));

    const read = await readSysctl(new RootFs(root));

    expect(read.facts.files).toEqual([
      { path: '/run/sysctl.d/10-runtime.conf', origin: 'vendor', masked: false },
      { path: '/usr/lib/sysctl.d/50-pid-max.conf', origin: 'vendor', masked: false },
      { path: '/etc/sysctl.d/60-local.conf', origin: 'config', masked: false },
      { path: '/usr/lib/sysctl.d/70-late-vendor.conf', origin: 'vendor', masked: false },
      { path: '/etc/sysctl.d/99-protect-links.conf', origin: 'config', masked: true },
      { path: '/etc/sysctl.d/99-sysctl.conf', origin: 'config', masked: false },
    ]);
    expect(read.facts.shadowed).toEqual([
      { path: '/usr/lib/sysctl.d/99-protect-links.conf', shadowedBy: '/etc/sysctl.d/99-protect-links.conf' },
    ]);
    expect(Object.keys(read.facts.vendorDefaults)).toEqual([
      'kernel.pid_max',
      'net.core.somaxconn',
      'vm.swappiness',
    ]);
    expect(read.facts.overriddenByVendor).toEqual(['vm.swappiness']);
    expect(read.problems).toEqual([
      {
        path: '/etc/sysctl.d/60-local.conf',
        line: 3,
        text: 'broken line',
        reason: 'not an assignment (key = value), ignored as systemd-sysctl does',
      },
    ]);
    // Another machine's root: its /proc/sys would answer in this process's namespaces, so nothing is read.
    expect(Object.values(read.facts.live).every((value) => value === null)).toBe(true);
    expect(read.liveUnavailableReason).toMatch(/namespaces/);
  });

  it('lists /etc/sysctl.conf last when no drop-in links to it, and copes with an empty root', async () => {
    await put('/etc/sysctl.d/10-a.conf', 'vm.swappiness = 1\n');
    await put('/etc/sysctl.conf', 'vm.swappiness = 2\n');
    const read = await readSysctl(new RootFs(root));
    expect(read.facts.files.map((file) => file.path)).toEqual([
      '/etc/sysctl.d/10-a.conf',
      '/etc/sysctl.conf',
    ]);

    const empty = await readSysctl(new RootFs(join(root, 'nothing-here')));
    expect(empty.facts.files).toEqual([]);
  });
});
