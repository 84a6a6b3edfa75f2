import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RootFs } from '../../machine/root-fs.js';
import { REDACTED } from '../../state/redact.js';
import { readCommandLine } from './read-command-line.js';

let root: string;

async function put(path: string, text: string): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), text);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-cmdline-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const PROC = 'BOOT_IMAGE=/vmlinuz root=/dev/vda1 ro quiet rd.luks.key=/k.bin api_token=abc123 -- single\n';

describe('readCommandLine', () => {
  it("takes the running kernel's parameters when no boot loader file exists, withholding secrets", async () => {
    await put('/proc/cmdline', PROC);
    const read = await readCommandLine(new RootFs(root));
    expect(read.configured).toEqual(['quiet', `api_token=${REDACTED}`]);
    expect(read.facts).toEqual({
      configuredIn: null,
      pendingReboot: false,
      live: ['quiet', `api_token=${REDACTED}`],
      bootParameters: ['BOOT_IMAGE=/vmlinuz', 'root=/dev/vda1', 'ro', 'rd.luks.key=/k.bin'],
      initArguments: ['single'],
      grub: null,
    });
    expect(read.redactions).toEqual([
      { path: ['facts', 'commandLine', 'live', 1], reason: 'secret-named kernel parameter api_token' },
      { path: ['config', 'commandLine', 1], reason: 'secret-named kernel parameter api_token' },
    ]);
    expect(JSON.stringify(read)).not.toContain('abc123');
  });

  it('reads /etc/default/grub and its drop-ins, and says a reboot is pending when they differ', async () => {
    await put('/proc/cmdline', PROC);
    await put(
      '/etc/default/grub',
      'GRUB_CMDLINE_LINUX="root=/dev/vda1 console=ttyS0"\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"\nGRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT splash"\n',
    );
    await put(
      '/etc/default/grub.d/50-cloud.cfg',
      'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT nomodeset"\n',
    );
    await put('/etc/default/grub.d/README', 'GRUB_CMDLINE_LINUX="ignored"\n');
    const read = await readCommandLine(new RootFs(root));
    expect(read.configured).toEqual(['console=ttyS0', 'quiet', 'splash', 'nomodeset']);
    expect(read.facts).toMatchObject({
      configuredIn: '/etc/default/grub',
      pendingReboot: true,
      grub: {
        linux: ['console=ttyS0'],
        linuxDefault: ['quiet', 'splash', 'nomodeset'],
        assignedInDropIns: ['/etc/default/grub.d/50-cloud.cfg'],
      },
    });
    expect(read.problems).toEqual([]);
  });

  it('prefers /etc/kernel/cmdline, and works without /proc', async () => {
    await put('/etc/default/grub', 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"\n');
    await put('/etc/kernel/cmdline', 'root=UUID=1 rw mitigations=off\n');
    const read = await readCommandLine(new RootFs(root));
    expect(read.configured).toEqual(['mitigations=off']);
    expect(read.facts).toMatchObject({
      configuredIn: '/etc/kernel/cmdline',
      pendingReboot: null,
      live: null,
    });
    expect(read.facts.grub?.linuxDefault).toEqual(['quiet']);
    expect(read.liveUnavailableReason).toMatch(/\/proc\/cmdline does not exist/);
  });

  it('has nothing to say on an empty root', async () => {
    const read = await readCommandLine(new RootFs(root));
    expect(read.configured).toBeNull();
    expect(read.facts).toEqual({
      configuredIn: null,
      pendingReboot: null,
      live: null,
      bootParameters: null,
      initArguments: null,
      grub: null,
    });
  });
});
