// Who is behind a bus name: the owning connection's PID and user (from the bus), its command name (from
// /proc under the machine root) and its systemd unit (Manager.GetUnitByPID).
import type { DbusConnection } from '../../dbus/connection.js';
import type { RootFs } from '../../machine/root-fs.js';
import { unitNameFromObjectPath } from './unit-path.js';

const BUS_SERVICE = 'org.freedesktop.DBus';
const BUS_PATH = '/org/freedesktop/DBus';

export interface OwnerInfo {
  pid?: number;
  uid?: number;
  command?: string;
  unit?: string;
}

export interface OwnerLookup {
  bus: DbusConnection;
  files: RootFs;
  /** Unique name of systemd's connection, when systemd is on the bus. */
  systemdOwner?: string;
  /** Whether /proc under the root shows the bus's processes (see `procMatchesBus`). */
  procMatchesBus: Promise<boolean>;
}

async function credentialsOf(
  bus: DbusConnection,
  connection: string,
): Promise<{ pid?: number; uid?: number }> {
  try {
    const credentials = (await bus.callOne(BUS_SERVICE, BUS_PATH, BUS_SERVICE, 'GetConnectionCredentials', {
      signature: 's',
      args: [connection],
    })) as Record<string, unknown>;
    const pid = credentials.ProcessID;
    const uid = credentials.UnixUserID;
    return { ...(typeof pid === 'number' ? { pid } : {}), ...(typeof uid === 'number' ? { uid } : {}) };
  } catch {
    // The connection left the bus between ListNames and now: it simply has no owner facts.
    return {};
  }
}

async function commandOf(files: RootFs, pid: number): Promise<string | undefined> {
  try {
    return (await files.readText(`/proc/${pid}/comm`))?.trim() || undefined;
  } catch {
    return undefined;
  }
}

async function unitOf(bus: DbusConnection, systemdOwner: string, pid: number): Promise<string | undefined> {
  try {
    const path = await bus.callOne(
      systemdOwner,
      '/org/freedesktop/systemd1',
      'org.freedesktop.systemd1.Manager',
      'GetUnitByPID',
      {
        signature: 'u',
        args: [pid],
      },
    );
    return typeof path === 'string' ? unitNameFromObjectPath(path) : undefined;
  } catch {
    // NoUnitForPID: the process is not in any unit (or exited meanwhile).
    return undefined;
  }
}

/**
 * The bus reports PIDs in its own PID namespace; /proc under the root only shows those processes when the
 * root is the bus's machine (`/` for the host, /proc/<container init>/root for a container). The bus daemon's
 * own PID must name the bus daemon there, otherwise command names would belong to unrelated processes.
 */
export async function procMatchesBus(bus: DbusConnection, files: RootFs): Promise<boolean> {
  const { pid } = await credentialsOf(bus, BUS_SERVICE);
  if (pid === undefined) return false;
  const command = await commandOf(files, pid);
  return command !== undefined && /^dbus-(daemon|broker)/.test(command);
}

export async function describeOwner(lookup: OwnerLookup, owner: string): Promise<OwnerInfo> {
  const { pid, uid } = await credentialsOf(lookup.bus, owner);
  if (pid === undefined) return uid === undefined ? {} : { uid };
  const [command, unit] = await Promise.all([
    lookup.procMatchesBus.then((matches) => (matches ? commandOf(lookup.files, pid) : undefined)),
    lookup.systemdOwner ? unitOf(lookup.bus, lookup.systemdOwner, pid) : undefined,
  ]);
  return {
    pid,
    ...(uid === undefined ? {} : { uid }),
    ...(command ? { command } : {}),
    ...(unit ? { unit } : {}),
  };
}
