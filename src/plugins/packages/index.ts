// The packages plugin: installed Debian packages, through PackageKit over D-Bus when it is there,
// else from dpkg's status database; apt's auto-installed marks say which were installed on request.
// Installs and removals go through PackageKit only.
import { describeCause } from '../../dbus/errors.js';
import type { Machine } from '../../machine/machine.js';
import { withTimeout } from '../../util/timeout.js';
import type { Plugin } from '../types.js';
import { applyPackagesChange, checkpointPackages, undoPackagesChange } from './apply.js';
import { buildPackagesSection, type PackageListing } from './build-section.js';
import { DPKG_STATUS, listFromDpkgStatus, readAutoInstalledMarks } from './dpkg-database.js';
import {
  listInstalledWithPackageKit,
  PACKAGEKIT_BUS_NAME,
  packageKitUnavailableReason,
} from './packagekit.js';
import { planPackagesChanges } from './plan.js';
import {
  type PackagesConfig,
  type PackagesFacts,
  packagesConfigSchema,
  packagesFactsSchema,
} from './schema.js';
import { packagesToAnsible } from './to-ansible.js';
import { packagesToNix } from './to-nix.js';

export type { PackagesConfig, PackagesFacts } from './schema.js';

/** Why PackageKit cannot list this machine's packages, or undefined when it can be asked. */
async function packageKitBlocker(machine: Machine): Promise<string | undefined> {
  const status = await machine.busStatus();
  if (!status.ok) return `D-Bus unreachable: ${status.reason}`;
  return packageKitUnavailableReason(await machine.bus());
}

/** The packages PackageKit lists, or why it cannot be asked. */
async function askPackageKit(machine: Machine, budgetMs: number): Promise<PackageListing | string> {
  const blocker = await packageKitBlocker(machine);
  if (blocker !== undefined) return blocker;
  return { source: 'packagekit', packages: await listInstalledWithPackageKit(await machine.bus(), budgetMs) };
}

/**
 * The bus checks and the transaction together get one budget — the D-Bus timeout, and at most half of what
 * is left of the plugin's time box so the dpkg fallback still fits in it; past it, the dpkg database answers.
 */
async function listInstalledPackages(
  machine: Machine,
  deadline: number | undefined,
): Promise<PackageListing> {
  const leftInBox =
    deadline === undefined ? Number.POSITIVE_INFINITY : Math.max(0, deadline - Date.now()) / 2;
  const budgetMs = Math.floor(Math.min(machine.timeoutMs, leftInBox));
  let reason: string;
  try {
    const asked = await withTimeout(
      askPackageKit(machine, budgetMs),
      budgetMs,
      () => new Error(`no answer within ${budgetMs} ms`),
    );
    if (typeof asked !== 'string') return asked;
    reason = asked;
  } catch (error) {
    reason = `PackageKit failed: ${describeCause(error)}`;
  }
  return listFromDpkgStatus(machine, reason);
}

export const packagesPlugin: Plugin<PackagesConfig, PackagesFacts> = {
  name: 'packages',
  summary: 'Installed Debian packages and whether each was installed on request (PackageKit, else dpkg)',
  managedBusNames: [PACKAGEKIT_BUS_NAME],
  configSchema: packagesConfigSchema,
  factsSchema: packagesFactsSchema,

  async available(machine) {
    try {
      if (await machine.files.exists(DPKG_STATUS)) return { ok: true };
      const blocker = await packageKitBlocker(machine);
      return blocker === undefined ? { ok: true } : { ok: false, reason: `no ${DPKG_STATUS} and ${blocker}` };
    } catch (error) {
      return { ok: false, reason: describeCause(error) };
    }
  },

  summarize(config, facts) {
    const packages = Object.values(config.packages);
    const manual = packages.filter((entry) => entry.manual).length;
    return `${packages.length} packages (${manual} installed on request), from ${facts.source}`;
  },

  async discover(machine, context) {
    const [listing, autoMarks] = await Promise.all([
      listInstalledPackages(machine, context.deadline),
      readAutoInstalledMarks(machine),
    ]);
    return buildPackagesSection(listing, autoMarks);
  },

  writer: {
    plan: planPackagesChanges,
    checkpoint: checkpointPackages,
    apply: applyPackagesChange,
    undo: undoPackagesChange,
  },
  toNix: packagesToNix,
  toAnsible: packagesToAnsible,
};
