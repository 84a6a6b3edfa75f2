// Runs the selected plugins concurrently against one machine, each time-boxed, and assembles the
// MachineState document. A plugin that is unavailable, fails or times out is reported, never fatal.
import type { Machine } from '../machine/machine.js';
import type { DiscoverContext, Plugin } from '../plugins/types.js';
import { sealDocument } from '../state/document.js';
import { toJsonPointer } from '../state/json-path.js';
import { type Redaction, redactPrivateKeysDeep, type SectionRedaction } from '../state/redact.js';
import { API_VERSION, type MachineState, type Section } from '../state/schema.js';
import { readMetadata } from './metadata.js';

export const DEFAULT_PLUGIN_TIMEOUT_MS = 30_000;

export type PluginOutcome =
  | { plugin: string; status: 'discovered'; ms: number }
  | { plugin: string; status: 'unavailable' | 'failed'; reason: string; ms: number };

export interface DiscoverOptions {
  plugins: readonly Plugin[];
  /** Every registered plugin, so coverage knows which bus names are managed even when only some run. */
  registry: readonly Plugin[];
  pluginTimeoutMs?: number;
  onProgress?: (outcome: PluginOutcome) => void;
  now?: () => Date;
}

export interface DiscoverResult {
  state: MachineState;
  outcomes: PluginOutcome[];
}

class PluginTimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PluginTimeoutError(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface PluginRun {
  outcome: PluginOutcome;
  section?: Section;
  redactions?: SectionRedaction[];
}

async function runPlugin(
  plugin: Plugin,
  machine: Machine,
  context: DiscoverContext,
  timeoutMs: number,
): Promise<PluginRun> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const availability = await withTimeout(
      plugin.available(machine),
      timeoutMs,
      `${plugin.name} availability check`,
    );
    if (!availability.ok) {
      return {
        outcome: { plugin: plugin.name, status: 'unavailable', reason: availability.reason, ms: elapsed() },
      };
    }
    const found = await withTimeout(plugin.discover(machine, context), timeoutMs, `${plugin.name} discovery`);
    const section = {
      config: plugin.configSchema.parse(found.config),
      facts: plugin.factsSchema.parse(found.facts),
    };
    return {
      outcome: { plugin: plugin.name, status: 'discovered', ms: elapsed() },
      section,
      redactions: found.redactions,
    };
  } catch (error) {
    return {
      outcome: { plugin: plugin.name, status: 'failed', reason: (error as Error).message, ms: elapsed() },
    };
  }
}

export function managedBusNames(registry: readonly Plugin[]): Map<string, string> {
  const managed = new Map<string, string>();
  for (const plugin of registry) for (const name of plugin.managedBusNames) managed.set(name, plugin.name);
  return managed;
}

export async function discoverMachine(machine: Machine, options: DiscoverOptions): Promise<DiscoverResult> {
  const context: DiscoverContext = { managedBusNames: managedBusNames(options.registry) };
  const timeoutMs = options.pluginTimeoutMs ?? DEFAULT_PLUGIN_TIMEOUT_MS;
  const metadataPromise = readMetadata(machine, options.now?.() ?? new Date());
  const runs = await Promise.all(
    options.plugins.map(async (plugin) => {
      const run = await runPlugin(plugin, machine, context, timeoutMs);
      options.onProgress?.(run.outcome);
      return run;
    }),
  );

  const sections: Record<string, Section> = {};
  const unavailable: { plugin: string; reason: string }[] = [];
  const found: SectionRedaction[] = [];
  for (const run of runs) {
    const name = run.outcome.plugin;
    if (run.outcome.status !== 'discovered' || !run.section) {
      unavailable.push({ plugin: name, reason: 'reason' in run.outcome ? run.outcome.reason : 'no section' });
      continue;
    }
    for (const redaction of run.redactions ?? [])
      found.push({ path: ['sections', name, ...redaction.path], reason: redaction.reason });
    sections[name] = redactPrivateKeysDeep(run.section, ['sections', name], found) as Section;
  }
  const redactions: Redaction[] = found
    .map((r) => ({ path: toJsonPointer(r.path), reason: r.reason }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const state = sealDocument({
    apiVersion: API_VERSION,
    kind: 'MachineState',
    metadata: await metadataPromise,
    sections,
    unavailable,
    redactions,
  });
  return { state, outcomes: runs.map((run) => run.outcome) };
}
