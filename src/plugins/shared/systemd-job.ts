// Runs systemd jobs (start, stop, restart …) over D-Bus and waits for each to finish through the manager's
// JobRemoved signal: one subscription per connection, so many jobs can be issued together and awaited at once.
import type { DbusConnection } from '../../dbus/connection.js';
import { SYSTEMD_BUS_NAME, SYSTEMD_MANAGER_INTERFACE, SYSTEMD_PATH } from '../../dbus/well-known.js';

export type UnitJobMethod =
  | 'StartUnit'
  | 'StopUnit'
  | 'RestartUnit'
  | 'TryRestartUnit'
  | 'ReloadOrRestartUnit';

const VERB: Record<UnitJobMethod, string> = {
  StartUnit: 'starting',
  StopUnit: 'stopping',
  RestartUnit: 'restarting',
  TryRestartUnit: 'restarting',
  ReloadOrRestartUnit: 'reloading',
};

/** Job results that mean the unit reached the requested state (skipped: nothing to do, e.g. reload of a stopped unit). */
const SUCCESSFUL_RESULTS = new Set(['done', 'skipped']);

export class UnitJobError extends Error {
  constructor(
    readonly unit: string,
    readonly method: UnitJobMethod,
    readonly result: string,
  ) {
    super(
      `${VERB[method]} ${unit} ended with job result "${result}"${
        result === 'failed'
          ? ` (see: journalctl -u ${unit})`
          : result === 'dependency'
            ? ' (a dependency failed)'
            : ''
      }`,
    );
    this.name = 'UnitJobError';
  }
}

interface Waiter {
  resolve(result: string): void;
}

/** Tracks the manager's jobs on one connection; JobRemoved that arrive before their waiter are kept briefly. */
class JobTracker {
  private readonly waiters = new Map<string, Waiter>();
  private readonly early = new Map<string, string>();

  static async attach(bus: DbusConnection): Promise<JobTracker> {
    const tracker = new JobTracker();
    await bus.subscribe(
      {
        sender: SYSTEMD_BUS_NAME,
        path: SYSTEMD_PATH,
        iface: SYSTEMD_MANAGER_INTERFACE,
        member: 'JobRemoved',
      },
      (event) => tracker.removed(String(event.body[1]), String(event.body[3])),
    );
    // Without a subscriber the manager may not emit job signals at all.
    await bus.call(SYSTEMD_BUS_NAME, SYSTEMD_PATH, SYSTEMD_MANAGER_INTERFACE, 'Subscribe');
    return tracker;
  }

  private removed(jobPath: string, result: string): void {
    const waiter = this.waiters.get(jobPath);
    if (waiter) {
      this.waiters.delete(jobPath);
      waiter.resolve(result);
      return;
    }
    this.early.set(jobPath, result);
    // Job paths are numbered afresh per job, so only the newest few unmatched ones can still be wanted.
    if (this.early.size > 1024) this.early.delete(this.early.keys().next().value as string);
  }

  wait(jobPath: string, timeoutMs: number, describe: () => Error): Promise<string> {
    const early = this.early.get(jobPath);
    if (early !== undefined) {
      this.early.delete(jobPath);
      return Promise.resolve(early);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(jobPath);
        reject(describe());
      }, timeoutMs);
      timer.unref();
      this.waiters.set(jobPath, {
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
      });
    });
  }
}

const trackers = new WeakMap<DbusConnection, Promise<JobTracker>>();

function trackerFor(bus: DbusConnection): Promise<JobTracker> {
  let tracker = trackers.get(bus);
  if (!tracker) {
    tracker = JobTracker.attach(bus);
    // A failed subscription is not cached: the next job tries again.
    tracker.catch(() => trackers.delete(bus));
    trackers.set(bus, tracker);
  }
  return tracker;
}

/**
 * Queues a job for `unit` and resolves when systemd has finished it; rejects with UnitJobError when the job
 * ends in any result but done/skipped, and when it does not end within `timeoutMs`.
 */
export async function runUnitJob(
  bus: DbusConnection,
  method: UnitJobMethod,
  unit: string,
  timeoutMs: number,
  mode = 'replace',
): Promise<void> {
  const tracker = await trackerFor(bus);
  const jobPath = String(
    await bus.callOne(SYSTEMD_BUS_NAME, SYSTEMD_PATH, SYSTEMD_MANAGER_INTERFACE, method, {
      signature: 'ss',
      args: [unit, mode],
      timeoutMs,
    }),
  );
  const result = await tracker.wait(
    jobPath,
    timeoutMs,
    () => new Error(`${VERB[method]} ${unit}: the job did not finish within ${timeoutMs} ms`),
  );
  if (!SUCCESSFUL_RESULTS.has(result)) throw new UnitJobError(unit, method, result);
}
