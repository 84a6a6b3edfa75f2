// The checks that decide whether an activation stands: restart the configured units over the machine's bus
// (RestartUnit, waiting for each job's JobRemoved), see that each is active, then run the health command.
import { execFile } from 'node:child_process';
import type { DbusConnection } from '../dbus/connection.js';
import { DbusCallError } from '../dbus/errors.js';
import { SYSTEMD_BUS_NAME, SYSTEMD_MANAGER_INTERFACE, SYSTEMD_PATH } from '../dbus/well-known.js';
import type { Machine } from '../machine/machine.js';
import { runUnitJob } from '../plugins/shared/systemd-job.js';
import type { DeployConfig } from './config.js';

const UNIT_INTERFACE = 'org.freedesktop.systemd1.Unit';
const NO_SUCH_UNIT = 'org.freedesktop.systemd1.NoSuchUnit';

/** What the health command is told about the deployment it checks. */
export interface HealthContext {
  version: string;
  /** Host path of the store, and of the version's tree (what `current` now points at). */
  storeHostPath: string;
  treeHostPath: string;
}

/**
 * Clears a unit's failed state and its start rate limit: a few deploys in a row, or the restart that switches
 * back right after a failed start, must not be refused with start-limit-hit. A unit not loaded has neither.
 */
async function resetFailed(bus: DbusConnection, unit: string): Promise<void> {
  try {
    await bus.call(SYSTEMD_BUS_NAME, SYSTEMD_PATH, SYSTEMD_MANAGER_INTERFACE, 'ResetFailedUnit', {
      signature: 's',
      args: [unit],
    });
  } catch (error) {
    if (!(error instanceof DbusCallError && error.dbusErrorName === NO_SUCH_UNIT)) throw error;
  }
}

/** Restarts the units together and waits for every job; the first failure is thrown once all have ended. */
export async function restartUnits(
  machine: Machine,
  units: readonly string[],
  timeoutMs: number,
): Promise<void> {
  if (units.length === 0) return;
  const bus = await machine.bus();
  const restart = async (unit: string) => {
    await resetFailed(bus, unit);
    await runUnitJob(bus, 'RestartUnit', unit, timeoutMs);
  };
  const results = await Promise.allSettled(units.map(restart));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

async function activeState(machine: Machine, unit: string): Promise<string> {
  const bus = await machine.bus();
  const path = String(
    await bus.callOne(SYSTEMD_BUS_NAME, SYSTEMD_PATH, SYSTEMD_MANAGER_INTERFACE, 'GetUnit', {
      signature: 's',
      args: [unit],
    }),
  );
  return String(await bus.getProperty(SYSTEMD_BUS_NAME, path, UNIT_INTERFACE, 'ActiveState'));
}

/** Every unit active, then the health command (if any) exits 0 within the time limit; otherwise throws why not. */
export async function checkHealth(
  machine: Machine,
  config: DeployConfig,
  context: HealthContext,
): Promise<void> {
  for (const unit of config.restartUnits) {
    const state = await activeState(machine, unit);
    if (state !== 'active') throw new Error(`${unit} is ${state} after its restart`);
  }
  if (config.healthCommand)
    await runHealthCommand(config.healthCommand, config.healthTimeoutSeconds, context);
}

function runHealthCommand(
  argv: readonly string[],
  timeoutSeconds: number,
  context: HealthContext,
): Promise<void> {
  const [command, ...args] = argv as [string, ...string[]];
  const env = {
    ...process.env,
    OPDBUS_DEPLOY_VERSION: context.version,
    OPDBUS_DEPLOY_STORE: context.storeHostPath,
    OPDBUS_DEPLOY_TREE: context.treeHostPath,
  };
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { env, timeout: timeoutSeconds * 1000, maxBuffer: 1024 * 1024 },
      (error, _out, stderr) => {
        if (!error) return resolve();
        const failure = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
        const why =
          failure.code === 'ENOENT'
            ? `${command} was not found`
            : failure.killed
              ? `it did not finish within ${timeoutSeconds} s`
              : `it exited with status ${failure.code}`;
        const said = String(stderr).trim().split('\n').slice(-3).join('; ');
        reject(new Error(`the health command failed: ${why}${said ? ` (${said})` : ''}`));
      },
    );
  });
}
