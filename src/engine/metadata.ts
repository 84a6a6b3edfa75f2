// Document metadata read through the Machine: who was captured, from where, when, by which op-dbus.
import { release } from 'node:os';
import type { Machine } from '../machine/machine.js';
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
    hostname: firstLine(hostname),
    machineId: firstLine(machineId),
    // A container root has no /proc of its own on the host side; it shares the host's kernel anyway.
    kernelRelease: firstLine(osRelease) ?? release(),
    capturedAt: now.toISOString(),
    opDbusVersion: OP_DBUS_VERSION,
    source: { busAddress: machine.busAddress, root: machine.root },
  };
}
