// Which units' run state belongs in config: only units an admin decides to run or not. The others (static,
// indirect, generated, transient, aliases, masks) run when a dependency or an activation (a socket, D-Bus, a
// timer) pulls them in, so their run state changes with timing and with what asked for them — op-dbus itself
// D-Bus-activates hostnamed or PackageKit while it discovers — and stays in facts.units.
import { parseUnitName } from '../shared/unit-name.js';
import type { LoadedUnit } from './manager.js';
import type { UnitFileState } from './unit-file-state.js';

export const ADMIN_RUN_STATE_UNIT_FILE_STATES: ReadonlySet<UnitFileState> = new Set([
  'enabled',
  'enabled-runtime',
  'disabled',
  'linked',
  'linked-runtime',
]);

const RUNNING_ACTIVE_STATES: ReadonlySet<string> = new Set([
  'active',
  'activating',
  'reloading',
  'refreshing',
]);

export type RunState = 'active' | 'inactive';

/**
 * Run state of every unit file whose state is an admin's choice. A unit the manager has not loaded is inactive
 * (systemd unloads inactive units nothing refers to), so whether it is listed never depends on the manager's
 * garbage collection. Templates cannot run; an instance counts only when it is a unit file of its own.
 */
export function adminRunStates(
  unitFiles: ReadonlyMap<string, UnitFileState>,
  loaded: readonly LoadedUnit[],
): [string, RunState][] {
  const activeByName = new Map(loaded.map((unit) => [unit.name, unit.active]));
  const found: [string, RunState][] = [];
  for (const [name, state] of unitFiles) {
    if (!ADMIN_RUN_STATE_UNIT_FILE_STATES.has(state) || parseUnitName(name)?.kind === 'template') continue;
    found.push([name, RUNNING_ACTIVE_STATES.has(activeByName.get(name) ?? '') ? 'active' : 'inactive']);
  }
  return found;
}
