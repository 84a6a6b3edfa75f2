// Reads dpkg's status database (/var/lib/dpkg/status) into the packages it records, with their state.
import { parseDeb822 } from './parse-deb822.js';

/** dpkg's `Status: want error state` triple, e.g. `install ok installed`. */
export interface DpkgStatusEntry {
  name: string;
  version: string;
  /** `amd64`, `all`, …; empty when the stanza has no Architecture field. */
  architecture: string;
  want: string;
  error: string;
  state: string;
}

/** An installed package, whichever source (dpkg, PackageKit) reported it. */
export interface InstalledPackage {
  name: string;
  version: string;
  architecture: string;
}

/** Every stanza with a Package and a well-formed Status field; others are damaged and left out. */
export function parseDpkgStatus(text: string): DpkgStatusEntry[] {
  const entries: DpkgStatusEntry[] = [];
  for (const stanza of parseDeb822(text)) {
    const name = stanza.package?.trim();
    const status = stanza.status?.trim().split(/\s+/);
    if (!name || status?.length !== 3) continue;
    const [want, error, state] = status as [string, string, string];
    entries.push({
      name,
      version: stanza.version?.trim() ?? '',
      architecture: stanza.architecture?.trim() ?? '',
      want,
      error,
      state,
    });
  }
  return entries;
}

/**
 * Installed means dpkg's state is exactly `installed`, whatever the selection (`hold` and `deinstall`
 * packages are still on disk). This is apt's CurrentState == Installed, the test PackageKit's apt
 * backend applies for its "installed" filter, so both sources agree. Half-installed, unpacked,
 * half-configured, triggers-pending and config-files packages are left out.
 */
export function installedFromDpkgStatus(entries: readonly DpkgStatusEntry[]): InstalledPackage[] {
  return entries
    .filter((entry) => entry.state === 'installed')
    .map(({ name, version, architecture }) => ({ name, version, architecture }));
}
