// Pure planning for packages: install what was installed on request and is missing, remove what was
// installed on request beyond the desired state only when pruning; every other difference (versions,
// auto-installed marks, dependencies) is reported, because PackageKit cannot act on it.
import {
  type Change,
  changeId,
  type PlanOptions,
  type PluginPlan,
  type Unresolved,
} from '../../engine/change.js';
import { toDisplayPath } from '../../state/json-path.js';
import { compareStrings } from '../../util/order.js';
import type { CurrentSection } from '../types.js';
import type { InstalledPackageConfig, PackagesConfig, PackagesFacts } from './schema.js';

const PLUGIN = 'packages';

const packagePath = (key: string, ...fields: string[]) =>
  toDisplayPath(['sections', PLUGIN, 'config', 'packages', key, ...fields]);

function installChange(key: string, desired: InstalledPackageConfig): Change {
  return {
    id: changeId(PLUGIN, 'install', key),
    plugin: PLUGIN,
    kind: 'install',
    action: 'create',
    target: key,
    phase: 'packages',
    description: `install ${key} through PackageKit (the repositories' candidate version; desired ${desired.version})`,
    reason: 'installed on request in the desired state and not installed here',
    risk: 'medium',
    riskNote:
      'its maintainer scripts run as root and may start services; its dependencies are installed with it',
    after: desired,
  };
}

function removeChange(key: string, current: InstalledPackageConfig): Change {
  return {
    id: changeId(PLUGIN, 'remove', key),
    plugin: PLUGIN,
    kind: 'remove',
    action: 'delete',
    target: key,
    phase: 'packages',
    description: `remove ${key} ${current.version} through PackageKit`,
    reason: 'installed on request here and not in the desired state (--prune)',
    risk: 'high',
    riskNote:
      'removing a package can break what depends on it: PackageKit is told not to remove dependants, so the ' +
      'removal fails instead; its maintainer scripts run as root and may stop services',
    before: current,
  };
}

/** Non-blocking: PackageKit cannot act on these, and the machine still works as the document describes it. */
function unresolved(path: string, description: string, expected: unknown, actual: unknown): Unresolved {
  return {
    plugin: PLUGIN,
    path,
    description,
    ...(expected === undefined ? {} : { expected }),
    ...(actual === undefined ? {} : { actual }),
    blocking: false,
  };
}

/** Differences between two installed entries that no PackageKit call can settle. */
function entryDifferences(key: string, desired: InstalledPackageConfig, current: InstalledPackageConfig) {
  const found: Unresolved[] = [];
  if (desired.version !== current.version)
    found.push(
      unresolved(
        packagePath(key, 'version'),
        `${key} is installed at another version: op-dbus installs the repositories' candidate version and ` +
          'does not upgrade or downgrade installed packages',
        desired.version,
        current.version,
      ),
    );
  if (desired.architecture !== current.architecture)
    found.push(
      unresolved(
        packagePath(key, 'architecture'),
        `${key} is installed for another architecture`,
        desired.architecture,
        current.architecture,
      ),
    );
  if (desired.manual !== current.manual)
    found.push(
      unresolved(
        packagePath(key, 'manual'),
        `${key} is ${current.manual ? 'marked as installed on request' : 'marked as a dependency'} here: ` +
          `PackageKit cannot change apt's auto-installed mark (run apt-mark ${desired.manual ? 'manual' : 'auto'} ${key})`,
        desired.manual,
        current.manual,
      ),
    );
  return found;
}

export function planPackagesChanges(
  current: CurrentSection<PackagesConfig, PackagesFacts>,
  desired: PackagesConfig,
  options: PlanOptions,
): PluginPlan {
  const changes: Change[] = [];
  const found: Unresolved[] = [];
  const have = current.config.packages;
  const want = desired.packages;
  const keys = [...new Set([...Object.keys(have), ...Object.keys(want)])].sort(compareStrings);
  for (const key of keys) {
    const desiredEntry = want[key];
    const currentEntry = have[key];
    if (desiredEntry && currentEntry) {
      found.push(...entryDifferences(key, desiredEntry, currentEntry));
    } else if (desiredEntry) {
      if (desiredEntry.manual) changes.push(installChange(key, desiredEntry));
      else
        found.push(
          unresolved(
            packagePath(key),
            `${key} is a dependency in the desired state and is not installed here: op-dbus installs only ` +
              'packages installed on request, which bring the dependencies they need',
            desiredEntry,
            undefined,
          ),
        );
    } else if (currentEntry) {
      if (currentEntry.manual && options.prune) changes.push(removeChange(key, currentEntry));
      else
        found.push(
          unresolved(
            packagePath(key),
            currentEntry.manual
              ? `${key} is installed here on request and not in the desired state: op-dbus removes it only with --prune`
              : `${key} is installed here as a dependency and not in the desired state: op-dbus does not remove dependencies (apt autoremove does)`,
            undefined,
            currentEntry,
          ),
        );
    }
  }
  if (changes.length > 0 && current.facts.source !== 'packagekit')
    found.push({
      plugin: 'packages',
      path: '$.sections.packages',
      description: `PackageKit is not usable here (${current.facts.fallbackReason ?? 'the package list came from the dpkg database'}); op-dbus installs and removes packages only through it`,
      blocking: true,
    });
  return { changes, unresolved: found };
}
