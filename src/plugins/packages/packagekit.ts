// Lists installed packages through PackageKit's D-Bus API: one transaction, GetPackages(installed),
// results gathered from the transaction's signals.
import type { DbusConnection, SignalEvent } from '../../dbus/connection.js';
import { withTimeout } from '../../util/timeout.js';
import { type PackageKitPackage, parsePackageId } from './package-id.js';

export const PACKAGEKIT_BUS_NAME = 'org.freedesktop.PackageKit';
const PACKAGEKIT_PATH = '/org/freedesktop/PackageKit';
const TRANSACTION_IFACE = 'org.freedesktop.PackageKit.Transaction';
/** PkFilterEnum PK_FILTER_ENUM_INSTALLED is 2; filters travel as a bitfield of `1 << enum`. */
const FILTER_INSTALLED = 1 << 2;
/** PkExitEnum: only SUCCESS (1) means the package list is complete. */
const EXIT_NAMES = ['unknown', 'success', 'failed', 'cancelled', 'key-required', 'eula-required', 'killed'];
const EXIT_SUCCESS = 1;

/** Why PackageKit cannot be asked, or undefined when it is running or D-Bus can start it. */
export async function packageKitUnavailableReason(bus: DbusConnection): Promise<string | undefined> {
  const [names, activatable] = await Promise.all([bus.listNames(), bus.listActivatableNames()]);
  if (names.includes(PACKAGEKIT_BUS_NAME) || activatable.includes(PACKAGEKIT_BUS_NAME)) return undefined;
  return `${PACKAGEKIT_BUS_NAME} is neither running nor activatable on the bus`;
}

interface TransactionOutcome {
  exit: number;
  packageIds: string[];
  error?: string;
}

/** Collects the transaction's Package/Packages signals until Finished. */
function collectTransaction(): {
  handle: (event: SignalEvent) => void;
  finished: Promise<TransactionOutcome>;
} {
  const packageIds: string[] = [];
  let error: string | undefined;
  let finish: (outcome: TransactionOutcome) => void = () => {};
  const finished = new Promise<TransactionOutcome>((resolve) => {
    finish = resolve;
  });
  const handle = (event: SignalEvent) => {
    switch (event.member) {
      case 'Package':
        packageIds.push(String(event.body[1]));
        break;
      case 'Packages':
        for (const item of (event.body[0] ?? []) as unknown[][]) packageIds.push(String(item[1]));
        break;
      case 'ErrorCode':
        error = `error ${event.body[0]}: ${event.body[1]}`;
        break;
      case 'Finished':
        finish({ exit: Number(event.body[0]), packageIds, ...(error ? { error } : {}) });
        break;
    }
  };
  return { handle, finished };
}

/**
 * Installed packages as PackageKit reports them. The whole exchange (activation included) must finish
 * within `budgetMs`; any failure rejects with the reason so the caller can fall back to dpkg.
 */
export async function listInstalledWithPackageKit(
  bus: DbusConnection,
  budgetMs: number,
): Promise<PackageKitPackage[]> {
  const started = performance.now();
  const remaining = () => Math.max(1, Math.round(budgetMs - (performance.now() - started)));
  const transaction = String(
    await bus.callOne(PACKAGEKIT_BUS_NAME, PACKAGEKIT_PATH, PACKAGEKIT_BUS_NAME, 'CreateTransaction', {
      timeoutMs: remaining(),
    }),
  );
  const { handle, finished } = collectTransaction();
  // Subscribed before GetPackages so no Package signal can slip past.
  const unsubscribe = await bus.subscribe(
    { sender: PACKAGEKIT_BUS_NAME, path: transaction, iface: TRANSACTION_IFACE },
    handle,
  );
  let outcome: TransactionOutcome;
  try {
    await bus.call(PACKAGEKIT_BUS_NAME, transaction, TRANSACTION_IFACE, 'GetPackages', {
      signature: 't',
      args: [FILTER_INSTALLED],
      timeoutMs: remaining(),
    });
    const ms = remaining();
    outcome = await withTimeout(
      finished,
      ms,
      () => new Error(`PackageKit transaction ${transaction} did not finish within ${ms} ms`),
    );
  } finally {
    await unsubscribe().catch(() => undefined);
  }
  if (outcome.exit !== EXIT_SUCCESS) {
    const exit = EXIT_NAMES[outcome.exit] ?? String(outcome.exit);
    throw new Error(
      `PackageKit GetPackages finished with exit ${exit}${outcome.error ? ` (${outcome.error})` : ''}`,
    );
  }
  const packages: PackageKitPackage[] = [];
  for (const id of outcome.packageIds) {
    const parsed = parsePackageId(id);
    if (!parsed) throw new Error(`PackageKit sent a malformed package id: ${JSON.stringify(id)}`);
    packages.push(parsed);
  }
  return packages;
}
