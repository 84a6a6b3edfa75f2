// Who is behind a bus name: the owning connection's PID and user (from the bus), its command name (from
// /proc under the machine root) and its systemd unit (Manager.GetUnitByPID).
import type { DbusConnection } from '../../dbus/connection.js';
import { DbusCallError } from '../../dbus/errors.js';
import { BUS_PATH, BUS_SERVICE, SYSTEMD_MANAGER_INTERFACE, SYSTEMD_PATH } from '../../dbus/well-known.js';
import type { RootFs } from '../../machine/root-fs.js';
import type { Limiter } from './limiter.js';
import { unitNameFromObjectPath } from './unit-path.js';

/** systemd's answer for a process that runs in no unit: an expected absence, not a failure. */
const NO_UNIT_FOR_PID = 'org.freedesktop.systemd1.NoUnitForPID';

export interface OwnerInfo {
  pid?: number;
  uid?: number;
  command?: string;
  unit?: string;
  /** Why the unit lookup failed, when it did for another reason than the process having no unit. */
  unitError?: string;
}

export interface OwnerLookup {
  bus: DbusConnection;
  files: RootFs;
  /** Unique name of systemd's connection, when systemd is on the bus. */
  systemdOwner?: string;
  /** The plugin's limit on calls in flight to services: GetUnitByPID waits for systemd like Introspect does. */
  limit: Limiter;
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
    // A bus answers 0 for an owner in another PID namespace; systemd reads GetUnitByPID(0) as "the caller"
    // and systemd 252 aborts on it (assertion c->pid > 0), so 0 is no PID at all.
    return {
      ...(typeof pid === 'number' && pid > 0 ? { pid } : {}),
      ...(typeof uid === 'number' ? { uid } : {}),
    };
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

async function unitOf(lookup: OwnerLookup, systemdOwner: string, pid: number): Promise<Partial<OwnerInfo>> {
  try {
    const path = await lookup.limit(() =>
      lookup.bus.callOne(systemdOwner, SYSTEMD_PATH, SYSTEMD_MANAGER_INTERFACE, 'GetUnitByPID', {
        signature: 'u',
        args: [pid],
      }),
    );
    const unit = typeof path === 'string' ? unitNameFromObjectPath(path) : undefined;
    return unit ? { unit } : { unitError: `GetUnitByPID(${pid}) returned ${JSON.stringify(path)}` };
  } catch (error) {
    if (error instanceof DbusCallError && error.dbusErrorName === NO_UNIT_FOR_PID) return {};
    // A timeout or a refused call (LimitsExceeded) leaves the unit unknown: said so, never taken for "none".
    return { unitError: (error as Error).message };
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
    lookup.systemdOwner ? unitOf(lookup, lookup.systemdOwner, pid) : {},
  ]);
  return {
    pid,
    ...(uid === undefined ? {} : { uid }),
    ...(command ? { command } : {}),
    ...unit,
  };
}
