// Carries out and undoes systemd changes through org.freedesktop.systemd1: unit files through the Machine
// root, enablement with Enable/Disable/Mask/UnmaskUnitFiles, daemon-reload, and jobs awaited via JobRemoved.
import type { DbusConnection } from '../../dbus/connection.js';
import { DbusCallError } from '../../dbus/errors.js';
import { SYSTEMD_BUS_NAME, SYSTEMD_MANAGER_INTERFACE, SYSTEMD_PATH } from '../../dbus/well-known.js';
import type { Change } from '../../engine/change.js';
import { checkpointFiles, type FileCheckpoint, restoreFile } from '../../engine/file-checkpoint.js';
import type { Machine } from '../../machine/machine.js';
import { applyFileChange, undoFileChange } from '../shared/file-changes.js';
import { runUnitJob } from '../shared/systemd-job.js';
import type { ApplyContext } from '../types.js';
import { ADMIN_UNIT_DIR } from './admin-files.js';

const NO_SUCH_UNIT = 'org.freedesktop.systemd1.NoSuchUnit';
const DEFAULT_TARGET_LINK = `${ADMIN_UNIT_DIR}/default.target`;

interface SystemdCheckpoint {
  files: FileCheckpoint;
}

function manager(bus: DbusConnection, member: string, signature: string, args: unknown[], timeoutMs: number) {
  return bus.call(SYSTEMD_BUS_NAME, SYSTEMD_PATH, SYSTEMD_MANAGER_INTERFACE, member, {
    signature,
    args,
    timeoutMs,
  });
}

/**
 * Brings a unit's enablement to `state` from whatever it is now, so applying and undoing are the same
 * idempotent operation: unmask unless the target is a mask, then enable, disable or mask.
 */
async function setUnitFileState(bus: DbusConnection, unit: string, state: string, timeoutMs: number) {
  const call = (member: string, signature: string, args: unknown[]) =>
    manager(bus, member, signature, args, timeoutMs);
  if (state === 'masked' || state === 'masked-runtime') {
    await call('MaskUnitFiles', 'asbb', [[unit], state === 'masked-runtime', true]);
    return;
  }
  await call('UnmaskUnitFiles', 'asb', [[unit], false]);
  await call('UnmaskUnitFiles', 'asb', [[unit], true]);
  if (state === 'enabled' || state === 'enabled-runtime') {
    if (state === 'enabled') await call('DisableUnitFiles', 'asb', [[unit], true]);
    await call('EnableUnitFiles', 'asbb', [[unit], state === 'enabled-runtime', false]);
  } else if (state === 'disabled') {
    await call('DisableUnitFiles', 'asb', [[unit], false]);
    await call('DisableUnitFiles', 'asb', [[unit], true]);
  }
}

async function setRunState(bus: DbusConnection, change: Change, state: unknown, timeoutMs: number) {
  const unit = change.target;
  if (state === 'inactive') {
    try {
      await runUnitJob(bus, 'StopUnit', unit, timeoutMs);
    } catch (error) {
      // Not loaded means not running: the state the stop asks for.
      if (!(error instanceof DbusCallError && error.dbusErrorName === NO_SUCH_UNIT)) throw error;
    }
    // A unit that failed to start stays "failed" after the stop; clear it so nothing of the attempt remains.
    await manager(bus, 'ResetFailedUnit', 's', [unit], timeoutMs).catch(() => undefined);
    return;
  }
  await runUnitJob(bus, 'StartUnit', unit, timeoutMs);
}

export async function checkpointSystemd(
  changes: readonly Change[],
  machine: Machine,
): Promise<SystemdCheckpoint> {
  const paths = changes.filter((change) => change.kind === 'unit-file').map((change) => change.target);
  if (changes.some((change) => change.kind === 'default-target')) paths.push(DEFAULT_TARGET_LINK);
  return { files: await checkpointFiles(machine, paths) };
}

export async function applySystemdChange(
  change: Change,
  machine: Machine,
  context: ApplyContext,
): Promise<void> {
  if (change.kind === 'unit-file') return applyFileChange(change, machine);
  const bus = await machine.bus();
  const timeoutMs = context.changeTimeoutMs;
  switch (change.kind) {
    case 'daemon-reload':
      await manager(bus, 'Reload', '', [], timeoutMs);
      return;
    case 'default-target':
      await manager(bus, 'SetDefaultTarget', 'sb', [change.after, true], timeoutMs);
      return;
    case 'enablement':
      await setUnitFileState(bus, change.target, String(change.after), timeoutMs);
      return;
    case 'run-state':
      if (change.before === 'active' && change.after === 'active')
        return runUnitJob(bus, 'RestartUnit', change.target, timeoutMs);
      return setRunState(bus, change, change.after, timeoutMs);
    default:
      throw new Error(`systemd cannot apply a change of kind ${change.kind}`);
  }
}

export async function undoSystemdChange(
  change: Change,
  checkpoint: unknown,
  machine: Machine,
  context: ApplyContext,
): Promise<void> {
  const saved = checkpoint as SystemdCheckpoint;
  if (change.kind === 'unit-file') return undoFileChange(change, saved.files, machine);
  if (change.kind === 'default-target') return restoreFile(machine, saved.files, DEFAULT_TARGET_LINK);
  // Undone after the files are back and the manager reloaded: a restart picks the old files up again.
  if (change.kind === 'run-state' && change.before === 'active' && change.after === 'active')
    return runUnitJob(await machine.bus(), 'TryRestartUnit', change.target, context.changeTimeoutMs);
  // The rest is undone by the opposite change: enablement and run state back to before, the reload again.
  const before = change.before ?? (change.kind === 'enablement' ? 'disabled' : undefined);
  return applySystemdChange({ ...change, before: change.after, after: before }, machine, context);
}
