// The human discover report (summary, coverage, managed / unmanaged services, conversion candidates).
// PLACEHOLDER: the dbus-services work replaces this with the full seeds report.
import type { PluginOutcome } from '../engine/discover.js';
import type { MachineState } from '../state/schema.js';

export function discoverReportJson(state: MachineState, outcomes: PluginOutcome[]): unknown {
  return { metadata: state.metadata, plugins: outcomes };
}

export function renderDiscoverReport(state: MachineState, outcomes: PluginOutcome[], _options: { color: boolean }): string {
  const lines = [`Machine ${state.metadata.hostname ?? '(unknown)'}`];
  for (const outcome of outcomes) lines.push(`  ${outcome.plugin}: ${outcome.status}${'reason' in outcome ? ` (${outcome.reason})` : ''}`);
  return `${lines.join('\n')}\n`;
}
