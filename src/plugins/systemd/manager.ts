// Bulk reads from org.freedesktop.systemd1.Manager: one call each for the loaded units, the unit files, the
// default target and the manager's properties (never one call per unit).
import { posix } from 'node:path';
import type { DbusConnection } from '../../dbus/connection.js';
import { SYSTEMD_BUS_NAME, SYSTEMD_MANAGER_INTERFACE, SYSTEMD_PATH } from '../../dbus/well-known.js';
import type { FileProblem } from '../shared/file-problem.js';
import { isValidUnitName } from '../shared/unit-name.js';

export interface LoadedUnit {
  name: string;
  description: string;
  load: string;
  active: string;
  sub: string;
}

export interface ManagerProperties {
  version: string | null;
  systemState: string | null;
  virtualization: string | null;
  architecture: string | null;
  /** The manager's unit search path, highest priority first (empty when it does not say). */
  unitPath: string[];
}

function callManager(bus: DbusConnection, member: string): Promise<unknown> {
  return bus.callOne(SYSTEMD_BUS_NAME, SYSTEMD_PATH, SYSTEMD_MANAGER_INTERFACE, member);
}

/** ListUnits (`a(ssssssouso)`): every unit the manager has loaded, like `systemctl list-units --all`. */
export async function listLoadedUnits(bus: DbusConnection): Promise<LoadedUnit[]> {
  const rows = await callManager(bus, 'ListUnits');
  if (!Array.isArray(rows)) throw new Error(`ListUnits returned ${typeof rows}, not an array`);
  return rows.flatMap((row) => {
    if (!Array.isArray(row) || !row.slice(0, 5).every((field) => typeof field === 'string')) return [];
    const [name, description, load, active, sub] = row as string[];
    return isValidUnitName(name as string) ? [{ name, description, load, active, sub } as LoadedUnit] : [];
  });
}

export interface UnitFileStateList {
  /** Unit name → unit-file state as the manager words it. */
  states: Map<string, string>;
  /** Rows whose file name is no valid unit name: kept out of the capture, whose schema accepts only unit names. */
  invalid: FileProblem[];
}

/** ListUnitFiles (`a(ss)`): unit name → unit-file state, like `systemctl list-unit-files`. */
export async function listUnitFileStates(bus: DbusConnection): Promise<UnitFileStateList> {
  const rows = await callManager(bus, 'ListUnitFiles');
  if (!Array.isArray(rows)) throw new Error(`ListUnitFiles returned ${typeof rows}, not an array`);
  const states = new Map<string, string>();
  const invalid: FileProblem[] = [];
  for (const row of rows) {
    if (!Array.isArray(row) || typeof row[0] !== 'string' || typeof row[1] !== 'string') continue;
    const name = posix.basename(row[0]);
    if (isValidUnitName(name)) states.set(name, row[1]);
    else
      invalid.push({
        path: row[0],
        line: null,
        text: null,
        reason: 'ListUnitFiles lists a file whose name is not a valid unit name; left out',
      });
  }
  return { states, invalid };
}

/** GetDefaultTarget; null when the machine has no default.target. */
export async function getDefaultTarget(bus: DbusConnection): Promise<string | null> {
  try {
    const name = await callManager(bus, 'GetDefaultTarget');
    return typeof name === 'string' && name !== '' ? name : null;
  } catch (error) {
    if ((error as { dbusErrorName?: string }).dbusErrorName === 'org.freedesktop.systemd1.NoSuchUnit')
      return null;
    throw error;
  }
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export async function getManagerProperties(bus: DbusConnection): Promise<ManagerProperties> {
  const all = await bus.getAllProperties(SYSTEMD_BUS_NAME, SYSTEMD_PATH, SYSTEMD_MANAGER_INTERFACE);
  const unitPath = Array.isArray(all.UnitPath)
    ? all.UnitPath.filter((dir): dir is string => typeof dir === 'string')
    : [];
  return {
    version: stringOrNull(all.Version),
    systemState: stringOrNull(all.SystemState),
    virtualization: stringOrNull(all.Virtualization),
    architecture: stringOrNull(all.Architecture),
    unitPath,
  };
}
