// Runs one PackageKit transaction over D-Bus: CreateTransaction, one method on it, then the transaction's
// signals until Finished — the packages it reported, its error, and its progress as lines — all within a budget.
import type { DbusConnection, SignalEvent } from '../../dbus/connection.js';
import { withTimeout } from '../../util/timeout.js';
import { parsePackageId } from './package-id.js';
import { EXIT_SUCCESS, errorName, exitName, statusName } from './packagekit-enums.js';

export const PACKAGEKIT_BUS_NAME = 'org.freedesktop.PackageKit';
const PACKAGEKIT_PATH = '/org/freedesktop/PackageKit';
const TRANSACTION_IFACE = 'org.freedesktop.PackageKit.Transaction';
const PROPERTIES_IFACE = 'org.freedesktop.DBus.Properties';
/** Percentage PackageKit sends when it cannot tell (PK_BACKEND_PERCENTAGE_INVALID). */
const PERCENTAGE_UNKNOWN = 101;
/** A transaction given up on is cancelled; PackageKit answers Cancel at once or not at all. */
const CANCEL_TIMEOUT_MS = 2000;

export interface TransactionCall {
  method: string;
  signature: string;
  args: unknown[];
}

export interface ReportedPackage {
  /** PkInfoEnum: installed, available, installing, removing … */
  info: number;
  id: string;
}

export interface TransactionOutcome {
  exit: number;
  packages: ReportedPackage[];
  error?: { code: number; details: string };
}

export interface TransactionOptions {
  timeoutMs: number;
  /** Receives progress lines (status, percentage, per-package progress); repeated lines are dropped. */
  progress?: (line: string) => void;
}

/** Turns Status/Percentage property changes and ItemProgress signals into lines, each said once. */
function progressReporter(progress: ((line: string) => void) | undefined) {
  let status: string | undefined;
  let percentage: number | undefined;
  let lastLine: string | undefined;
  const say = (line: string) => {
    if (line === lastLine) return;
    lastLine = line;
    progress?.(line);
  };
  const percent = (value: number | undefined) =>
    value === undefined || value >= PERCENTAGE_UNKNOWN ? '' : ` ${value}%`;
  return (event: SignalEvent) => {
    if (event.iface === PROPERTIES_IFACE && event.member === 'PropertiesChanged') {
      const changed = (event.body[1] ?? {}) as Record<string, unknown>;
      if (typeof changed.Status === 'number') status = statusName(changed.Status);
      if (typeof changed.Percentage === 'number') percentage = changed.Percentage;
      if (status !== undefined && ('Status' in changed || 'Percentage' in changed))
        say(`${status}${percent(percentage)}`);
    } else if (event.member === 'ItemProgress') {
      const [id, itemStatus, itemPercentage] = event.body as [string, number, number];
      const pkg = parsePackageId(String(id));
      say(
        `${pkg ? `${pkg.name} ${pkg.version}` : id}: ${statusName(Number(itemStatus))}${percent(itemPercentage)}`,
      );
    }
  };
}

/** Collects the transaction's Package/Packages/ErrorCode signals until Finished. */
function collectOutcome() {
  const packages: ReportedPackage[] = [];
  let error: TransactionOutcome['error'];
  let finish: (outcome: TransactionOutcome) => void = () => {};
  const finished = new Promise<TransactionOutcome>((resolve) => {
    finish = resolve;
  });
  const handle = (event: SignalEvent) => {
    if (event.iface !== TRANSACTION_IFACE) return;
    switch (event.member) {
      case 'Package':
        packages.push({ info: Number(event.body[0]), id: String(event.body[1]) });
        break;
      case 'Packages':
        for (const item of (event.body[0] ?? []) as unknown[][])
          packages.push({ info: Number(item[0]), id: String(item[1]) });
        break;
      case 'ErrorCode':
        error = { code: Number(event.body[0]), details: String(event.body[1]).trim() };
        break;
      case 'Finished':
        finish({ exit: Number(event.body[0]), packages, ...(error ? { error } : {}) });
        break;
    }
  };
  return { handle, finished };
}

/**
 * Runs `call` in a new transaction and resolves with its outcome, whatever the exit (see `transactionFailure`).
 * Rejects when PackageKit does not answer or finish within `timeoutMs` (the transaction is then cancelled).
 */
export async function runTransaction(
  bus: DbusConnection,
  call: TransactionCall,
  options: TransactionOptions,
): Promise<TransactionOutcome> {
  const started = performance.now();
  const remaining = () => Math.max(1, Math.round(options.timeoutMs - (performance.now() - started)));
  const transaction = String(
    await bus.callOne(PACKAGEKIT_BUS_NAME, PACKAGEKIT_PATH, PACKAGEKIT_BUS_NAME, 'CreateTransaction', {
      timeoutMs: remaining(),
    }),
  );
  const { handle, finished } = collectOutcome();
  const report = progressReporter(options.progress);
  // Subscribed before the method is called so no signal can slip past; by path alone, so the transaction's
  // PropertiesChanged (another interface) arrives too.
  const unsubscribe = await bus.subscribe({ sender: PACKAGEKIT_BUS_NAME, path: transaction }, (event) => {
    handle(event);
    report(event);
  });
  try {
    await bus.call(PACKAGEKIT_BUS_NAME, transaction, TRANSACTION_IFACE, call.method, {
      signature: call.signature,
      args: call.args,
      timeoutMs: remaining(),
    });
    const ms = remaining();
    return await withTimeout(finished, ms, () => {
      void bus
        .call(PACKAGEKIT_BUS_NAME, transaction, TRANSACTION_IFACE, 'Cancel', { timeoutMs: CANCEL_TIMEOUT_MS })
        .catch(() => undefined);
      return new Error(
        `PackageKit ${call.method} did not finish within ${ms} ms; the transaction was cancelled`,
      );
    });
  } finally {
    await unsubscribe().catch(() => undefined);
  }
}

/** Why the transaction failed, in PackageKit's own words; undefined when it succeeded. */
export function transactionFailure(outcome: TransactionOutcome): string | undefined {
  if (outcome.exit === EXIT_SUCCESS && !outcome.error) return undefined;
  const error = outcome.error ? ` (${errorName(outcome.error.code)}: ${outcome.error.details})` : '';
  return `finished with exit ${exitName(outcome.exit)}${error}`;
}

/** Runs `call` and rejects, naming the method, unless the transaction succeeded. */
export async function runSuccessfulTransaction(
  bus: DbusConnection,
  call: TransactionCall,
  options: TransactionOptions,
): Promise<TransactionOutcome> {
  const outcome = await runTransaction(bus, call, options);
  const failure = transactionFailure(outcome);
  if (failure !== undefined) throw new Error(`PackageKit ${call.method} ${failure}`);
  return outcome;
}
