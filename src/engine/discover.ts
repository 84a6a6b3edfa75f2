// Runs the selected plugins concurrently against one machine, each time-boxed, and assembles the
// MachineState document. A plugin that is unavailable, fails or times out is reported, never fatal.
import type { Machine } from '../machine/machine.js';
import type { DiscoverContext, Plugin } from '../plugins/types.js';
import { describeZodIssues, sealDocument } from '../state/document.js';
import { toJsonPointer } from '../state/json-path.js';
import { type Redaction, redactPrivateKeysDeep, type SectionRedaction } from '../state/redact.js';
import { API_VERSION, type MachineState, type Section } from '../state/schema.js';
import { withTimeout } from '../util/timeout.js';
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

interface PluginRun {
  outcome: PluginOutcome;
  section?: Section;
  redactions?: SectionRedaction[];
}

/** A plugin's own output checked against its schema, with the places that do not fit named. */
function parseSection(plugin: Plugin, part: 'config' | 'facts', value: unknown): unknown {
  const result = (part === 'config' ? plugin.configSchema : plugin.factsSchema).safeParse(value);
  if (result.success) return result.data;
  const problems = describeZodIssues(
    result.error.issues.map((issue) => ({ ...issue, path: [part, ...issue.path] })),
  );
  throw new Error(
    `${plugin.name} produced a section that does not match its schema: ${problems.slice(0, 3).join('; ')}`,
  );
}

async function runPlugin(
  plugin: Plugin,
  machine: Machine,
  context: DiscoverContext,
  timeoutMs: number,
): Promise<PluginRun> {
  const started = performance.now();
  const startedAt = Date.now();
  const elapsed = () => Math.round(performance.now() - started);
  // One time box for the availability check and the discovery together.
  const work = async (): Promise<PluginRun> => {
    const availability = await plugin.available(machine);
    if (!availability.ok) {
      return {
        outcome: { plugin: plugin.name, status: 'unavailable', reason: availability.reason, ms: elapsed() },
      };
    }
    const found = await plugin.discover(machine, { ...context, deadline: startedAt + timeoutMs });
    const section = {
      config: parseSection(plugin, 'config', found.config),
      facts: parseSection(plugin, 'facts', found.facts),
    };
    return {
      outcome: { plugin: plugin.name, status: 'discovered', ms: elapsed() },
      section,
      redactions: found.redactions,
    };
  };
  try {
    return await withTimeout(
      work(),
      timeoutMs,
      () => new Error(`${plugin.name} did not finish within ${timeoutMs} ms`),
    );
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
