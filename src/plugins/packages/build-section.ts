// Turns an installed-package list and apt's auto marks into the packages section (pure).
import { compareStrings, sortedRecord } from '../../util/order.js';
import type { InstalledPackage } from './parse-dpkg-status.js';
import type { AutoInstalledMark } from './parse-extended-states.js';
import {
  DEBIAN_PACKAGE_NAME,
  type InstalledPackageConfig,
  type PackagesConfig,
  type PackagesFacts,
} from './schema.js';

export interface PackageListing {
  source: PackagesFacts['source'];
  packages: readonly InstalledPackage[];
  fallbackReason?: string;
}

/**
 * dpkg's native architecture is the one its own binary was built for (`dpkg --print-architecture`), i.e.
 * the architecture of the installed dpkg package. Without dpkg in the list, the most common concrete
 * architecture stands in (ties broken by name, so the answer is deterministic).
 */
export function nativeArchitectureOf(packages: readonly InstalledPackage[]): string | null {
  const dpkg = packages.find((pkg) => pkg.name === 'dpkg' && isConcrete(pkg.architecture));
  if (dpkg) return dpkg.architecture;
  const counts = new Map<string, number>();
  for (const pkg of packages) {
    if (isConcrete(pkg.architecture)) counts.set(pkg.architecture, (counts.get(pkg.architecture) ?? 0) + 1);
  }
  let best: [string, number] | undefined;
  for (const entry of [...counts].sort(([a], [b]) => compareStrings(a, b))) {
    if (!best || entry[1] > best[1]) best = entry;
  }
  return best?.[0] ?? null;
}

function isConcrete(architecture: string): boolean {
  return architecture !== '' && architecture !== 'all';
}

/** `name` for native and `all` packages, `name:arch` for a foreign architecture (as apt and dpkg-query print them). */
export function packageKey(pkg: InstalledPackage, native: string | null): string {
  return isConcrete(pkg.architecture) && pkg.architecture !== native
    ? `${pkg.name}:${pkg.architecture}`
    : pkg.name;
}

/** apt files `Architecture: all` packages, and marks without an architecture, under the native architecture. */
function autoInstalledKeys(marks: readonly AutoInstalledMark[], native: string | null): Set<string> {
  return new Set(marks.map((mark) => `${mark.name}:${mark.architecture ?? native}`));
}

export function buildPackagesSection(
  listing: PackageListing,
  autoMarks: readonly AutoInstalledMark[] | undefined,
): { config: PackagesConfig; facts: PackagesFacts } {
  const native = nativeArchitectureOf(listing.packages);
  const auto = autoInstalledKeys(autoMarks ?? [], native);
  const invalidNames = new Set<string>();
  const entries: [string, InstalledPackageConfig][] = [];
  for (const pkg of listing.packages) {
    if (!DEBIAN_PACKAGE_NAME.test(pkg.name)) {
      invalidNames.add(pkg.name);
      continue;
    }
    const markArchitecture = isConcrete(pkg.architecture) ? pkg.architecture : native;
    entries.push([
      packageKey(pkg, native),
      {
        version: pkg.version,
        architecture: pkg.architecture,
        manual: !auto.has(`${pkg.name}:${markArchitecture}`),
      },
    ]);
  }
  const packages = sortedRecord(entries);
  const facts: PackagesFacts = {
    source: listing.source,
    count: Object.keys(packages).length,
    nativeArchitecture: native,
    autoInstalledMarks: autoMarks ? 'read' : 'absent',
    invalidNames: [...invalidNames].sort(),
  };
  if (listing.fallbackReason !== undefined) facts.fallbackReason = listing.fallbackReason;
  return { config: { packages }, facts };
}
