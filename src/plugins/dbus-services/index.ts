// The dbus-services plugin: every name on the machine's bus — owner, process, unit, object tree — and how
// much of it op-dbus manages (coverage), plus running daemons that have no bus API (conversion candidates).
import type { DbusConnection } from '../../dbus/connection.js';
import { SYSTEMD_BUS_NAME, SYSTEMD_MANAGER_INTERFACE, SYSTEMD_PATH } from '../../dbus/well-known.js';
import { computeCoverage } from '../../engine/coverage.js';
import type { Machine } from '../../machine/machine.js';
import type { DiscoverContext, Discovered, Plugin } from '../types.js';
import { createLimiter } from './limiter.js';
import { type ListedUnit, parseListUnitsReply } from './list-units.js';
import { isUniqueBusName, isWellKnownBusName } from './names.js';
import { describeOwner, type OwnerLookup, procMatchesBus } from './owners.js';
import { recommendedPluginFor, selectConversionCandidates } from './recommendations.js';
import {
  type BusService,
  type DbusServicesConfig,
  type DbusServicesFacts,
  dbusServicesConfigSchema,
  dbusServicesFactsSchema,
} from './schema.js';
import { type TreeWalkOptions, type WalkedTree, walkObjectTree } from './walk-object-tree.js';

const MAX_OBJECTS_PER_SERVICE = 256;
// Enough to meet every kind of child (each unit type under systemd1's /unit) at a fraction of the calls.
const MAX_CHILDREN_PER_OBJECT = 12;
const CALLS_IN_FLIGHT_PER_SERVICE = 8;
// This plugin's calls to services (Introspect, GetUnitByPID) stay well below the bus's per-connection limit
// on pending replies (128 by default on the system bus), leaving room for the other plugins' calls on the connection.
const CALLS_IN_FLIGHT = 32;

async function ownerOf(bus: DbusConnection, name: string): Promise<string | undefined> {
  try {
    return await bus.nameOwner(name);
  } catch {
    return undefined;
  }
}

async function listUnits(bus: DbusConnection, systemdOwner: string): Promise<ListedUnit[]> {
  const reply = await bus.callOne(systemdOwner, SYSTEMD_PATH, SYSTEMD_MANAGER_INTERFACE, 'ListUnits');
  return parseListUnitsReply(reply);
}

/** The object path services conventionally use for their main object: org.example.Foo1 → /org/example/Foo1. */
function conventionalPath(name: string): string | undefined {
  return /^[A-Za-z0-9_.]+$/.test(name) ? `/${name.replaceAll('.', '/')}` : undefined;
}

/** The object tree from `/`, or from the service's conventional path when `/` shows nothing. */
async function introspectName(
  bus: DbusConnection,
  walk: TreeWalkOptions,
  name: string,
  owner: string,
): Promise<WalkedTree & { ms: number }> {
  const started = performance.now();
  const fromRoot = await walkObjectTree(bus, owner, '/', walk);
  let tree = fromRoot;
  // A few services answer Introspect on their own path only, not on `/`.
  const fallback = conventionalPath(name);
  if (Object.keys(fromRoot.objects).length === 0 && !fromRoot.truncated && fallback) {
    const fromFallback = await walkObjectTree(bus, owner, fallback, walk);
    if (Object.keys(fromFallback.objects).length > 0) {
      tree = {
        ...fromFallback,
        objectsVisited: fromFallback.objectsVisited + fromRoot.objectsVisited,
        objectsSkipped: fromFallback.objectsSkipped + fromRoot.objectsSkipped,
      };
    }
  }
  return { ...tree, ms: Math.round(performance.now() - started) };
}

type RunningFacts = Omit<BusService, 'running' | 'activatable' | 'managedBy' | 'recommendedPlugin'>;

/** Owner facts and object tree of a running name, reached only through its unique owner name. */
async function inspectRunningName(
  lookup: OwnerLookup,
  walk: TreeWalkOptions,
  name: string,
  owner: string,
): Promise<RunningFacts> {
  const [ownerInfo, tree] = await Promise.all([
    describeOwner(lookup, owner),
    introspectName(lookup.bus, walk, name, owner),
  ]);
  return {
    owner,
    ...ownerInfo,
    interfaces: tree.interfaces,
    objects: tree.objects,
    objectsVisited: tree.objectsVisited,
    objectsSkipped: tree.objectsSkipped,
    truncated: tree.truncated,
    ...(tree.error ? { introspectionError: tree.error } : {}),
    introspectMs: tree.ms,
  };
}

interface NameScan {
  lookup: OwnerLookup;
  walk: TreeWalkOptions;
  context: DiscoverContext;
}

async function describeName(
  name: string,
  owner: string | undefined,
  activatable: boolean,
  { lookup, walk, context }: NameScan,
): Promise<BusService> {
  const managedBy = context.managedBusNames.get(name);
  const recommendedPlugin = managedBy ? undefined : recommendedPluginFor(name);
  const base = {
    running: owner !== undefined,
    activatable,
    ...(managedBy ? { managedBy } : {}),
    ...(recommendedPlugin ? { recommendedPlugin } : {}),
  };
  // A name without an owner is never called: calling it would D-Bus-activate the service.
  if (!owner)
    return { ...base, interfaces: {}, objects: {}, objectsVisited: 0, objectsSkipped: 0, truncated: false };
  return { ...base, ...(await inspectRunningName(lookup, walk, name, owner)) };
}

async function discoverDbusServices(
  machine: Machine,
  context: DiscoverContext,
): Promise<Discovered<DbusServicesConfig, DbusServicesFacts>> {
  const bus = await machine.bus();
  const [names, activatableNames] = await Promise.all([bus.listNames(), bus.listActivatableNames()]);
  const activatable = new Set(activatableNames.filter(isWellKnownBusName));
  const running = names.filter(isWellKnownBusName);
  const owners = new Map(
    await Promise.all(running.map(async (name) => [name, await ownerOf(bus, name)] as const)),
  );
  // A name that lost its owner since ListNames and cannot be activated is gone: it is not counted.
  const allNames = [...new Set([...running.filter((name) => owners.get(name)), ...activatable])].sort();

  const notes: string[] = [];
  const systemdOwner = owners.get(SYSTEMD_BUS_NAME);
  const limit = createLimiter(CALLS_IN_FLIGHT);
  const lookup: OwnerLookup = {
    bus,
    files: machine.files,
    systemdOwner,
    limit,
    procMatchesBus: procMatchesBus(bus, machine.files),
  };
  const walk: TreeWalkOptions = {
    maxObjects: MAX_OBJECTS_PER_SERVICE,
    maxChildrenPerObject: MAX_CHILDREN_PER_OBJECT,
    concurrency: CALLS_IN_FLIGHT_PER_SERVICE,
    timeoutMs: machine.timeoutMs,
    limit,
  };
  const unitsPromise: Promise<ListedUnit[] | Error> = systemdOwner
    ? listUnits(bus, systemdOwner).catch((error: unknown) => error as Error)
    : Promise.resolve([]);
  if (!systemdOwner)
    notes.push(`${SYSTEMD_BUS_NAME} is not on the bus: no owning units and no conversion candidates`);

  const services = await Promise.all(
    allNames.map(async (name) => {
      const service = await describeName(name, owners.get(name), activatable.has(name), {
        lookup,
        walk,
        context,
      });
      return [name, service] as const;
    }),
  );

  if (!(await lookup.procMatchesBus)) {
    notes.push(
      `/proc under ${machine.root} does not show the bus's processes (another PID namespace): command names left out; for a container use --root /proc/<its init PID>/root`,
    );
  }
  const unknownUnits = services.filter(([, service]) => service.unitError !== undefined).length;
  if (unknownUnits > 0) {
    notes.push(
      `the owning unit of ${unknownUnits} bus name(s) could not be read (see unitError): their daemons may be listed as conversion candidates`,
    );
  }
  const unitsWithBusNames = new Set(
    services.map(([, service]) => service.unit).filter((unit): unit is string => unit !== undefined),
  );
  const units = await unitsPromise;
  if (units instanceof Error)
    notes.push(`cannot list systemd units, so no conversion candidates: ${units.message}`);
  const conversionCandidates = selectConversionCandidates(
    units instanceof Error ? [] : units,
    unitsWithBusNames,
  );
  return {
    config: {},
    facts: {
      source: 'dbus',
      services: Object.fromEntries(services),
      uniqueConnections: names.filter(isUniqueBusName).length,
      coverage: computeCoverage(allNames, context.managedBusNames, conversionCandidates.length),
      conversionCandidates,
      notes,
    },
  };
}

export const dbusServicesPlugin: Plugin<DbusServicesConfig, DbusServicesFacts> = {
  name: 'dbus-services',
  summary: 'D-Bus services on the bus: owners, units, introspected interfaces, coverage by op-dbus plugins',
  // It reads the bus but manages nothing on it (its config is empty), so it claims no name for coverage.
  managedBusNames: [],
  configSchema: dbusServicesConfigSchema,
  factsSchema: dbusServicesFactsSchema,

  async available(machine) {
    const status = await machine.busStatus();
    return status.ok ? { ok: true } : { ok: false, reason: status.reason };
  },

  discover: discoverDbusServices,
  summarize: (_config, facts) => {
    const services = Object.values(facts.services);
    const running = services.filter((service) => service.running).length;
    const objects = services.reduce((sum, service) => sum + Object.keys(service.objects).length, 0);
    const interfaces = new Set(services.flatMap((service) => Object.keys(service.interfaces))).size;
    const truncated = services.filter((service) => service.truncated).length;
    return [
      `${services.length} bus names (${running} running)`,
      `${objects} objects`,
      `${interfaces} interfaces`,
      ...(truncated > 0 ? [`${truncated} sampled`] : []),
      `coverage ${facts.coverage.percent}%`,
    ].join(', ');
  },
};
