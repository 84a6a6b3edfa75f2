// The packages plugin: installed Debian packages, through PackageKit over D-Bus when it is there,
// else from dpkg's status database; apt's auto-installed marks say which were installed on request.
import { describeCause } from '../../dbus/errors.js';
import type { Machine } from '../../machine/machine.js';
import type { Plugin } from '../types.js';
import { buildPackagesSection, type PackageListing } from './build-section.js';
import {
  listInstalledWithPackageKit,
  PACKAGEKIT_BUS_NAME,
  packageKitUnavailableReason,
} from './packagekit.js';
import { installedFromDpkgStatus, parseDpkgStatus } from './parse-dpkg-status.js';
import { type AutoInstalledMark, parseExtendedStates } from './parse-extended-states.js';
import {
  type PackagesConfig,
  type PackagesFacts,
  packagesConfigSchema,
  packagesFactsSchema,
} from './schema.js';

export type { PackagesConfig, PackagesFacts } from './schema.js';

const DPKG_STATUS = '/var/lib/dpkg/status';
const APT_EXTENDED_STATES = '/var/lib/apt/extended_states';

/** Why PackageKit cannot list this machine's packages, or undefined when it can be asked. */
async function packageKitBlocker(machine: Machine): Promise<string | undefined> {
  const status = await machine.busStatus();
  if (!status.ok) return `D-Bus unreachable: ${status.reason}`;
  return packageKitUnavailableReason(await machine.bus());
}

async function listWithPackageKit(machine: Machine): Promise<PackageListing> {
  return {
    source: 'packagekit',
    packages: await listInstalledWithPackageKit(await machine.bus(), machine.timeoutMs),
  };
}

async function listFromDpkgStatus(machine: Machine, fallbackReason?: string): Promise<PackageListing> {
  const text = await machine.files.readText(DPKG_STATUS);
  if (text === undefined) {
    throw new Error(
      `${DPKG_STATUS} does not exist${fallbackReason ? ` and PackageKit is unusable: ${fallbackReason}` : ''}`,
    );
  }
  const packages = installedFromDpkgStatus(parseDpkgStatus(text));
  return fallbackReason === undefined
    ? { source: 'dpkg', packages }
    : { source: 'dpkg', packages, fallbackReason };
}

async function listInstalledPackages(machine: Machine): Promise<PackageListing> {
  let reason: string | undefined;
  try {
    reason = await packageKitBlocker(machine);
    if (reason === undefined) return await listWithPackageKit(machine);
  } catch (error) {
    reason = `PackageKit failed: ${describeCause(error)}`;
  }
  return listFromDpkgStatus(machine, reason);
}

async function readAutoInstalledMarks(machine: Machine): Promise<AutoInstalledMark[] | undefined> {
  const text = await machine.files.readText(APT_EXTENDED_STATES);
  return text === undefined ? undefined : parseExtendedStates(text);
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

  async discover(machine) {
    const [listing, autoMarks] = await Promise.all([
      listInstalledPackages(machine),
      readAutoInstalledMarks(machine),
    ]);
    return buildPackagesSection(listing, autoMarks);
  },
};
