// Document metadata read through the Machine: who was captured, from where, when, by which op-dbus.
import { release } from 'node:os';
import type { Machine } from '../machine/machine.js';
import { parseEtcHostname } from '../plugins/identity/parse-identity-files.js';
import type { Metadata } from '../state/schema.js';
import { OP_DBUS_VERSION } from '../version.js';

function firstLine(text: string | undefined): string | null {
  const line = text?.split('\n')[0]?.trim();
  return line ? line : null;
}

export async function readMetadata(machine: Machine, now: Date): Promise<Metadata> {
  const [hostname, machineId, osRelease] = await Promise.all([
    machine.files.readText('/etc/hostname'),
    machine.files.readText('/etc/machine-id'),
    machine.files.readText('/proc/sys/kernel/osrelease'),
  ]);
  return {
    // Read as the identity plugin reads it (comments skipped, invalid names refused), so the two agree.
    hostname: hostname === undefined ? null : parseEtcHostname(hostname).hostname,
    machineId: firstLine(machineId),
    // op-dbus's own kernel is the machine's only when the root is this host's: a root without /proc (a chroot,
    // an image, a container's directory on disk) may be booted on another kernel, so it has no release to give.
    kernelRelease: firstLine(osRelease) ?? (machine.root === '/' ? release() : null),
    capturedAt: now.toISOString(),
    opDbusVersion: OP_DBUS_VERSION,
    source: { busAddress: machine.busAddress, root: machine.root },
  };
}
