// Reads what dpkg and apt record on disk under the machine root: the installed packages
// (/var/lib/dpkg/status) and apt's auto-installed marks (/var/lib/apt/extended_states).
import type { Machine } from '../../machine/machine.js';
import { buildPackagesSection, type PackageListing } from './build-section.js';
import { installedFromDpkgStatus, parseDpkgStatus } from './parse-dpkg-status.js';
import { type AutoInstalledMark, parseExtendedStates } from './parse-extended-states.js';
import type { PackagesConfig, PackagesFacts } from './schema.js';

export const DPKG_STATUS = '/var/lib/dpkg/status';
const APT_EXTENDED_STATES = '/var/lib/apt/extended_states';

/** The packages dpkg lists as installed; `fallbackReason` says why PackageKit was not asked, when it was not. */
export async function listFromDpkgStatus(machine: Machine, fallbackReason?: string): Promise<PackageListing> {
  const text = await machine.files.readText(DPKG_STATUS);
  if (text === undefined) {
    const unusable = fallbackReason === undefined ? '' : ` and PackageKit is unusable: ${fallbackReason}`;
    throw new Error(`${DPKG_STATUS} does not exist${unusable}`);
  }
  const packages = installedFromDpkgStatus(parseDpkgStatus(text));
  return { source: 'dpkg', packages, ...(fallbackReason === undefined ? {} : { fallbackReason }) };
}

/** apt's auto-installed marks; undefined when apt has not written any. */
export async function readAutoInstalledMarks(machine: Machine): Promise<AutoInstalledMark[] | undefined> {
  const text = await machine.files.readText(APT_EXTENDED_STATES);
  return text === undefined ? undefined : parseExtendedStates(text);
}

/** The packages section as the dpkg database alone describes it: quick, and independent of PackageKit. */
export async function readDpkgDatabase(
  machine: Machine,
): Promise<{ config: PackagesConfig; facts: PackagesFacts }> {
  const [listing, marks] = await Promise.all([listFromDpkgStatus(machine), readAutoInstalledMarks(machine)]);
  return buildPackagesSection(listing, marks);
}
