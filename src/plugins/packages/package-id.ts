// PackageKit names a package by a package id, `name;version;arch;data`; this splits one into its parts.
import type { InstalledPackage } from './parse-dpkg-status.js';

export interface PackageKitPackage extends InstalledPackage {
  /** Backend-specific (apt: the archive, or `installed`, `manual:…`, `auto:…`); kept for diagnostics only. */
  data: string;
}

/** The parts of a package id, or undefined when it does not have exactly four `;`-separated parts. */
export function parsePackageId(id: string): PackageKitPackage | undefined {
  const parts = id.split(';');
  if (parts.length !== 4) return undefined;
  const [name, version, architecture, data] = parts as [string, string, string, string];
  if (name === '' || version === '') return undefined;
  return { name, version, architecture, data };
}
