// Lists installed packages through PackageKit's D-Bus API: one transaction, GetPackages(installed),
// results gathered from the transaction's signals.
import type { DbusConnection } from '../../dbus/connection.js';
import { type PackageKitPackage, parsePackageId } from './package-id.js';
import { FILTER } from './packagekit-enums.js';
import { PACKAGEKIT_BUS_NAME, runSuccessfulTransaction } from './transaction.js';

export { PACKAGEKIT_BUS_NAME } from './transaction.js';

/** Why PackageKit cannot be asked, or undefined when it is running or D-Bus can start it. */
export async function packageKitUnavailableReason(bus: DbusConnection): Promise<string | undefined> {
  const [names, activatable] = await Promise.all([bus.listNames(), bus.listActivatableNames()]);
  if (names.includes(PACKAGEKIT_BUS_NAME) || activatable.includes(PACKAGEKIT_BUS_NAME)) return undefined;
  return `${PACKAGEKIT_BUS_NAME} is neither running nor activatable on the bus`;
}

/**
 * Installed packages as PackageKit reports them. The whole exchange (activation included) must finish
 * within `budgetMs`; any failure rejects with the reason so the caller can fall back to dpkg.
 */
export async function listInstalledWithPackageKit(
  bus: DbusConnection,
  budgetMs: number,
): Promise<PackageKitPackage[]> {
  const outcome = await runSuccessfulTransaction(
    bus,
    { method: 'GetPackages', signature: 't', args: [FILTER.installed] },
    { timeoutMs: budgetMs },
  );
  const packages: PackageKitPackage[] = [];
  for (const { id } of outcome.packages) {
    const parsed = parsePackageId(id);
    if (!parsed) throw new Error(`PackageKit sent a malformed package id: ${JSON.stringify(id)}`);
    packages.push(parsed);
  }
  return packages;
}
