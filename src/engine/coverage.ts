// The discover report as data: coverage of the machine's D-Bus services by op-dbus plugins (the seeds'
// summary), managed and unmanaged names, conversion candidates, and one summary line per plugin section.
// Pure, so the same content backs the human report and `discover --json`.
import {
  type ConversionCandidate,
  type Coverage,
  dbusServicesFactsSchema,
} from '../plugins/dbus-services/schema.js';
import type { Plugin } from '../plugins/types.js';
import type { MachineState } from '../state/schema.js';
import { compareStrings } from '../util/order.js';
import type { PluginOutcome } from './discover.js';

const DBUS_SERVICES = 'dbus-services';

/** managed / total as a percentage with one decimal; 0 when there is nothing to manage. */
export function coveragePercent(managed: number, total: number): number {
  return total === 0 ? 0 : Math.round((managed / total) * 1000) / 10;
}

/**
 * `busNames` are the machine's well-known names, running or activatable; conversion candidates are counted
 * beside them, not in the percentage, as they have no bus name to manage yet.
 */
export function computeCoverage(
  busNames: readonly string[],
  managedBusNames: ReadonlyMap<string, string>,
  conversionCandidates: number,
): Coverage {
  const names = [...new Set(busNames)];
  const managed = names.filter((name) => managedBusNames.has(name)).length;
  return {
    total: names.length,
    managed,
    unmanaged: names.length - managed,
    conversionCandidates,
    percent: coveragePercent(managed, names.length),
  };
}

export interface ReportedBusName {
  name: string;
  running: boolean;
  activatable: boolean;
}

export type DbusReport =
  | {
      available: true;
      coverage: Coverage;
      managed: (ReportedBusName & { plugin: string })[];
      unmanaged: (ReportedBusName & { recommendedPlugin: string | null; interfaces: number })[];
      conversionCandidates: ConversionCandidate[];
      notes: string[];
    }
  | { available: false; reason: string };

export type PluginReport =
  | { plugin: string; status: 'discovered'; ms: number; summary: string }
  | { plugin: string; status: 'unavailable' | 'failed'; ms: number; reason: string };

export interface DiscoverReport {
  machine: {
    hostname: string | null;
    machineId: string | null;
    kernelRelease: string | null;
    capturedAt: string;
    opDbusVersion: string;
    busAddress: string;
    root: string;
  };
  dbus: DbusReport;
  plugins: PluginReport[];
}

function dbusReport(state: MachineState, outcomes: readonly PluginOutcome[]): DbusReport {
  const section = state.sections[DBUS_SERVICES];
  if (!section) {
    const outcome = outcomes.find((candidate) => candidate.plugin === DBUS_SERVICES);
    if (outcome && 'reason' in outcome)
      return { available: false, reason: `${DBUS_SERVICES} ${outcome.status}: ${outcome.reason}` };
    return { available: false, reason: `the ${DBUS_SERVICES} plugin was not run (--plugin left it out)` };
  }
  const parsed = dbusServicesFactsSchema.safeParse(section.facts);
  if (!parsed.success)
    return { available: false, reason: `the ${DBUS_SERVICES} section does not match its schema` };
  const facts = parsed.data;
  const entries = Object.entries(facts.services).map(([name, service]) => ({ name, service }));
  const managed = entries
    .filter(({ service }) => service.managedBy !== undefined)
    .map(({ name, service }) => ({
      name,
      running: service.running,
      activatable: service.activatable,
      plugin: service.managedBy as string,
    }))
    .sort((a, b) => compareStrings(a.plugin, b.plugin) || compareStrings(a.name, b.name));
  // Names with a plugin to suggest come first: they are the cheapest coverage to gain.
  const unmanaged = entries
    .filter(({ service }) => service.managedBy === undefined)
    .map(({ name, service }) => ({
      name,
      running: service.running,
      activatable: service.activatable,
      recommendedPlugin: service.recommendedPlugin ?? null,
      interfaces: Object.keys(service.interfaces).length,
    }))
    .sort(
      (a, b) =>
        Number(a.recommendedPlugin === null) - Number(b.recommendedPlugin === null) ||
        compareStrings(a.name, b.name),
    );
  return {
    available: true,
    coverage: facts.coverage,
    managed,
    unmanaged,
    conversionCandidates: facts.conversionCandidates,
    notes: facts.notes,
  };
}

function pluginReport(state: MachineState, outcome: PluginOutcome, plugins: readonly Plugin[]): PluginReport {
  if (outcome.status !== 'discovered') return outcome;
  const section = state.sections[outcome.plugin];
  const plugin = plugins.find((candidate) => candidate.name === outcome.plugin);
  if (!section || !plugin) return { ...outcome, summary: 'no section' };
  try {
    return { ...outcome, summary: plugin.summarize(section.config, section.facts) };
  } catch {
    // Sections come validated from discovery; a hand-made one must not break the whole report.
    return { ...outcome, summary: 'section does not match its schema' };
  }
}

export function buildDiscoverReport(
  state: MachineState,
  outcomes: readonly PluginOutcome[],
  plugins: readonly Plugin[],
): DiscoverReport {
  const { metadata } = state;
  return {
    machine: {
      hostname: metadata.hostname,
      machineId: metadata.machineId,
      kernelRelease: metadata.kernelRelease,
      capturedAt: metadata.capturedAt,
      opDbusVersion: metadata.opDbusVersion,
      busAddress: metadata.source.busAddress,
      root: metadata.source.root,
    },
    dbus: dbusReport(state, outcomes),
    plugins: outcomes.map((outcome) => pluginReport(state, outcome, plugins)),
  };
}
