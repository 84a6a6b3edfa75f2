// The systemd plugin: unit-file states, default target, which units run, and the admin's unit files, read in
// bulk from the manager over D-Bus and from the unit directories; without a bus, from the directories alone.
import type { DbusConnection } from '../../dbus/connection.js';
import { describeCause } from '../../dbus/errors.js';
import { SYSTEMD_BUS_NAME } from '../../dbus/well-known.js';
import type { Machine } from '../../machine/machine.js';
import { compareStrings, sortedRecord } from '../../util/order.js';
import type { FileProblem } from '../shared/file-problem.js';
import type { Discovered, Plugin } from '../types.js';
import { ADMIN_UNIT_DIR, readAdminUnitFiles } from './admin-files.js';
import { adminRunStates } from './admin-run-state.js';
import { applySystemdChange, checkpointSystemd, undoSystemdChange } from './apply.js';
import {
  getDefaultTarget,
  getManagerProperties,
  listLoadedUnits,
  listUnitFileStates,
  type ManagerProperties,
} from './manager.js';
import { planSystemdChanges } from './plan.js';
import { readUnitTree } from './read-unit-tree.js';
import { resolveUnitFile } from './resolve-unit-file.js';
import { type SystemdConfig, type SystemdFacts, systemdConfigSchema, systemdFactsSchema } from './schema.js';
import { systemdToAnsible } from './to-ansible.js';
import { systemdToNix } from './to-nix.js';
import {
  DEFAULT_SYSTEM_UNIT_PATH,
  DERIVATION_TESTED_SYSTEMD_VERSIONS,
  deriveUnitFileStates,
  isDerivationTestedOn,
  UNIT_FILE_STATES,
  type UnitFileState,
} from './unit-file-state.js';
import type { UnitTree } from './unit-tree.js';

export type { SystemdConfig, SystemdFacts } from './schema.js';

const RUNTIME_UNIT_DIR = '/run/systemd/system';
// A machine has systemd when its manager answers or, offline, when it has unit files.
const UNIT_DIRS = ['/usr/lib/systemd/system', '/lib/systemd/system', ADMIN_UNIT_DIR];

type ManagerAccess = { bus: DbusConnection; properties: ManagerProperties } | { unavailable: string };

async function reachManager(machine: Machine): Promise<ManagerAccess> {
  try {
    const bus = await machine.bus();
    return { bus, properties: await getManagerProperties(bus) };
  } catch (error) {
    return { unavailable: describeCause(error) };
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** The tree for the manager's own search path; read speculatively with the default one while the manager answers. */
async function readTreeFor(machine: Machine, manager: Promise<ManagerAccess>): Promise<UnitTree> {
  const speculative = readUnitTree(machine.files, DEFAULT_SYSTEM_UNIT_PATH);
  const access = await manager;
  const unitPath = 'bus' in access ? access.properties.unitPath : [];
  if (unitPath.length === 0 || sameList(unitPath, DEFAULT_SYSTEM_UNIT_PATH)) return speculative;
  speculative.catch(() => undefined);
  return readUnitTree(machine.files, unitPath);
}

/** default.target as the directories define it, for machines whose manager cannot be asked. */
function defaultTargetFromTree(tree: UnitTree): string | null {
  const resolved = resolveUnitFile(tree, 'default.target');
  return resolved.kind === 'regular' ? resolved.name : null;
}

interface UnitFileStatesFound {
  states: Map<string, UnitFileState>;
  from: SystemdFacts['unitFileStatesFrom'];
  whyListUnitFiles?: string;
  unclassified: Map<string, string>;
  problems: FileProblem[];
}

function isUnitFileState(state: string): state is UnitFileState {
  return (UNIT_FILE_STATES as readonly string[]).includes(state);
}

async function askManager(
  bus: DbusConnection,
  whyListUnitFiles: string,
  unclassified: Map<string, string>,
): Promise<UnitFileStatesFound> {
  const states = new Map<string, UnitFileState>();
  const listed = await listUnitFileStates(bus);
  for (const [name, state] of listed.states) {
    if (isUnitFileState(state)) states.set(name, state);
    else unclassified.set(name, `the manager reports a state op-dbus does not know: ${state}`);
  }
  return { states, from: 'ListUnitFiles', whyListUnitFiles, unclassified, problems: listed.invalid };
}

/**
 * The directories' answer when it is complete and the manager is a release the derivation was tested on (or
 * cannot be asked), else the manager's (ListUnitFiles, ~0.4 s) as the authority.
 */
async function findUnitFileStates(
  machine: Machine,
  tree: Promise<UnitTree>,
  access: ManagerAccess,
): Promise<UnitFileStatesFound> {
  const bus = 'bus' in access ? access.bus : undefined;
  const version = 'bus' in access ? access.properties.version : null;
  if (bus && !isDerivationTestedOn(version)) {
    const tested = [...DERIVATION_TESTED_SYSTEMD_VERSIONS].join(', ');
    return askManager(
      bus,
      `systemd ${version ?? '(version not reported)'} is not a release the unit-file state derivation was tested on (${tested})`,
      new Map(),
    );
  }
  // A running manager always has /run/systemd/system: without it this root hides the machine's /run (say the
  // container's directory instead of /proc/PID/root), and with it runtime enablement, masks and generated units.
  if (bus && !(await machine.files.exists(RUNTIME_UNIT_DIR))) {
    return askManager(
      bus,
      `${RUNTIME_UNIT_DIR} is missing under the root, so runtime unit files cannot be seen`,
      new Map(),
    );
  }
  const derived = deriveUnitFileStates(await tree);
  if (bus && derived.unclassified.size > 0) {
    const why = `${derived.unclassified.size} unit file(s) need systemd's own judgement`;
    return askManager(bus, why, new Map(derived.unclassified));
  }
  return {
    states: derived.states,
    from: 'unit-directories',
    unclassified: derived.unclassified,
    problems: [],
  };
}

async function discoverSystemd(machine: Machine): Promise<Discovered<SystemdConfig, SystemdFacts>> {
  const manager = reachManager(machine);
  const tree = readTreeFor(machine, manager);
  const access = await manager;
  const bus = 'bus' in access ? access.bus : undefined;
  const [units, defaultTarget, states, admin] = await Promise.all([
    bus ? listLoadedUnits(bus) : [],
    bus ? getDefaultTarget(bus) : tree.then(defaultTargetFromTree),
    findUnitFileStates(machine, tree, access),
    tree.then((snapshot) => readAdminUnitFiles(machine.files, snapshot.searchPath)),
  ]);
  const properties = 'bus' in access ? access.properties : undefined;
  return {
    config: {
      defaultTarget,
      unitFiles: sortedRecord(states.states),
      // Without the manager nothing says what runs: no unit is claimed active or inactive.
      activeState: bus ? sortedRecord(adminRunStates(states.states, units)) : {},
      files: sortedRecord(admin.files),
    },
    facts: {
      source: bus ? 'dbus' : 'files',
      ...('unavailable' in access ? { busUnavailableReason: access.unavailable } : {}),
      unitFileStatesFrom: states.from,
      ...(states.whyListUnitFiles ? { whyListUnitFiles: states.whyListUnitFiles } : {}),
      unclassifiedUnitFiles: sortedRecord(states.unclassified),
      ignoredFiles: sortedRecord(admin.ignored),
      problems: [...states.problems, ...admin.problems].sort((a, b) => compareStrings(a.path, b.path)),
      version: properties?.version ?? null,
      systemState: properties?.systemState ?? null,
      virtualization: properties?.virtualization ?? null,
      architecture: properties?.architecture ?? null,
      units: sortedRecord(units.map(({ name, ...state }) => [name, state])),
    },
    redactions: admin.redactions,
  };
}

export const systemdPlugin: Plugin<SystemdConfig, SystemdFacts> = {
  name: 'systemd',
  summary: 'Unit-file states (enabled, masked …), default target, running units and admin unit files',
  managedBusNames: [SYSTEMD_BUS_NAME],
  configSchema: systemdConfigSchema,
  factsSchema: systemdFactsSchema,

  async available(machine) {
    try {
      const access = await reachManager(machine);
      if ('bus' in access) return { ok: true };
      for (const dir of UNIT_DIRS) if ((await machine.files.readDir(dir)).length > 0) return { ok: true };
      return {
        ok: false,
        reason: `no unit files in ${UNIT_DIRS.join(', ')} and no manager: ${access.unavailable}`,
      };
    } catch (error) {
      return { ok: false, reason: describeCause(error) };
    }
  },

  discover: (machine) => discoverSystemd(machine),

  summarize(config, facts) {
    const states = Object.values(config.unitFiles);
    const withState = (state: UnitFileState) => states.filter((candidate) => candidate === state).length;
    const wanted = Object.values(config.activeState);
    return [
      `${states.length} unit files (${withState('enabled')} enabled, ${withState('masked')} masked)`,
      `${wanted.filter((state) => state === 'active').length} of ${wanted.length} enabled or disabled units active`,
      `default ${config.defaultTarget ?? '(unset)'}`,
      `${Object.keys(config.files).length} admin unit files`,
      `from ${facts.source === 'dbus' ? 'the manager' : 'the unit directories only'}`,
    ].join(', ');
  },

  writer: {
    plan: (current, desired) => planSystemdChanges(current, desired),
    checkpoint: checkpointSystemd,
    apply: applySystemdChange,
    undo: undoSystemdChange,
  },
  toNix: systemdToNix,
  toAnsible: systemdToAnsible,
};
