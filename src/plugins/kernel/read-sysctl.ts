// Reads sysctl.d in systemd-sysctl's order for the facts: vendor defaults, configured keys a vendor file
// overrides, and the live value of every concrete key from the machine's /proc/sys. The administrator's
// merged settings come from the admin files (merge-admin-files.ts).
import type { RootFs } from '../../machine/root-fs.js';
import type { FileProblem } from '../shared/file-problem.js';
import {
  type AppliedSysctl,
  isSysctlGlob,
  mergeSysctlFiles,
  parseSysctlConf,
  type SysctlSetting,
  sysctlProcPath,
} from './parse-sysctl.js';
import { type DropInSources, describeSources, locateProblems, readDropIns } from './read-drop-ins.js';

const SYSCTL_DIRS = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d'];

export interface SysctlRead {
  facts: DropInSources & {
    vendorDefaults: Record<string, SysctlSetting & { path: string }>;
    overriddenByVendor: string[];
    live: Record<string, string | null>;
  };
  problems: FileProblem[];
  liveUnavailableReason?: string;
}

async function readLiveValue(files: RootFs, key: string): Promise<string | null> {
  try {
    const text = await files.readText(sysctlProcPath(key));
    return text === undefined ? null : text.trim().replace(/\s+/g, ' ');
  } catch {
    // Write-only entries (vm.compact_memory) and permission-restricted ones have no readable value.
    return null;
  }
}

function settingsWithPathOf(
  applied: Map<string, AppliedSysctl>,
): Record<string, SysctlSetting & { path: string }> {
  return Object.fromEntries(
    [...applied.values()].map(({ key, value, ignoreFailure, path }) => [key, { value, ignoreFailure, path }]),
  );
}

/** Why the live values of this machine cannot be read, or undefined when they can. */
async function liveValuesBlocker(files: RootFs): Promise<string | undefined> {
  if (files.root !== '/') {
    return (
      "/proc/sys answers in the reader's namespaces (network, UTS, IPC, PID), so through another machine's root " +
      "it would show this host's values; live values are read only for the root '/'"
    );
  }
  const present = await files.exists('/proc/sys').catch(() => false);
  return present ? undefined : '/proc/sys does not exist (is /proc mounted?)';
}

export async function readSysctl(files: RootFs): Promise<SysctlRead> {
  const [dropIns, blocker] = await Promise.all([
    readDropIns(files, { dirs: SYSCTL_DIRS, legacyFile: '/etc/sysctl.conf' }),
    liveValuesBlocker(files),
  ]);
  const problems = [...dropIns.problems];
  const parsed = dropIns.files
    .filter((file) => !file.masked)
    .map((file) => {
      const { entries, problems: fileProblems } = parseSysctlConf(file.text);
      problems.push(...locateProblems(file.path, fileProblems));
      return { path: file.path, origin: file.origin, entries };
    });
  const configured = mergeSysctlFiles(parsed.filter((file) => file.origin === 'config'));
  const vendor = mergeSysctlFiles(parsed.filter((file) => file.origin === 'vendor'));
  const effective = mergeSysctlFiles(parsed);
  const overriddenByVendor = [...configured.keys()].filter(
    (key) => vendor.get(key)?.path === effective.get(key)?.path,
  );

  const concreteKeys = [...new Set([...configured.keys(), ...vendor.keys()])]
    .filter((key) => !isSysctlGlob(key) && effective.get(key)?.value !== null)
    .sort();
  const liveValues = blocker ? [] : await Promise.all(concreteKeys.map((key) => readLiveValue(files, key)));
  const live = Object.fromEntries(concreteKeys.map((key, index) => [key, liveValues[index] ?? null]));

  return {
    facts: {
      ...describeSources(dropIns),
      vendorDefaults: settingsWithPathOf(vendor),
      overriddenByVendor,
      live,
    },
    problems,
    liveUnavailableReason: blocker,
  };
}
