// `deploy activate` and `deploy rollback`: switch `current` with one rename, restart the configured units,
// check health, and on any failure switch back and restart again. Never `btrfs subvolume set-default`: the
// switch works the same when the machine mounts its subvolumes by name.
import type { Machine } from '../machine/machine.js';
import type { DeployConfig } from './config.js';
import { DeployError } from './errors.js';
import { checkHealth, restartUnits } from './health.js';
import { historyAfterActivate, planRollback, reconcileHistory } from './history.js';
import type { DeployStore, StoredVersion } from './store.js';

export interface SwitchOutcome {
  version: string;
  previous: string | undefined;
  /** False when the version was already active (nothing switched, nothing restarted). */
  switched: boolean;
  units: readonly string[];
}

/** The activation did not stand: `current` was switched back to `restoredTo` (undefined: nothing active). */
export class ActivationFailedError extends DeployError {
  constructor(
    readonly version: string,
    readonly reason: string,
    readonly restoredTo: string | undefined,
    readonly restoreProblem: string | undefined,
  ) {
    const back = restoredTo === undefined ? 'nothing is active again' : `switched back to ${restoredTo}`;
    super(
      `activating ${version} failed: ${reason}; ${back}${restoreProblem ? `, but ${restoreProblem}` : ''}`,
      restoreProblem
        ? 'check the units now (systemctl status), then activate a known-good version'
        : `the previous deployment is running again; fix ${version} and activate it again`,
    );
    this.name = 'ActivationFailedError';
  }
}

/** Switches to `target`, then restarts and checks; on failure switches back and restarts, then throws. */
async function switchWithChecks(
  store: DeployStore,
  machine: Machine,
  config: DeployConfig,
  target: StoredVersion,
): Promise<SwitchOutcome> {
  const previous = await store.activeVersion();
  const units = config.restartUnits;
  if (previous === target.name) return { version: target.name, previous, switched: false, units };
  const timeoutMs = config.healthTimeoutSeconds * 1000;
  await store.switchCurrent(target.name);
  try {
    await restartUnits(machine, units, timeoutMs);
    await checkHealth(machine, config, {
      version: target.name,
      storeHostPath: store.hostPath,
      treeHostPath: target.treeHostPath,
    });
  } catch (error) {
    await store.switchCurrent(previous);
    let restoreProblem: string | undefined;
    try {
      await restartUnits(machine, units, timeoutMs);
    } catch (restartError) {
      restoreProblem = `restarting the units again failed: ${(restartError as Error).message}`;
    }
    throw new ActivationFailedError(target.name, (error as Error).message, previous, restoreProblem);
  }
  return { version: target.name, previous, switched: true, units };
}

export async function activateVersion(
  store: DeployStore,
  machine: Machine,
  config: DeployConfig,
  name: string,
): Promise<SwitchOutcome> {
  const target = await store.version(name);
  const stack = reconcileHistory(await store.history(), await store.activeVersion());
  const outcome = await switchWithChecks(store, machine, config, target);
  await store.saveHistory(historyAfterActivate(stack, name));
  return outcome;
}

/** Back one activation, or to `name`; the history then forgets what was rolled back past. */
export async function rollbackVersion(
  store: DeployStore,
  machine: Machine,
  config: DeployConfig,
  name: string | undefined,
): Promise<SwitchOutcome> {
  const stack = reconcileHistory(await store.history(), await store.activeVersion());
  const plan = planRollback(stack, name);
  if (!plan.ok) throw new DeployError(`cannot roll back: ${plan.reason}`, 'see `op-dbus deploy status`');
  const target = await store.version(plan.target);
  const outcome = await switchWithChecks(store, machine, config, target);
  await store.saveHistory(plan.stackAfter);
  return outcome;
}
