// The human discover report (seeds layout: machine, 📊 summary and coverage, managed / unmanaged D-Bus
// services, conversion candidates, one line per plugin) and its JSON twin for `discover --json`.
import pc from 'picocolors';
import {
  buildDiscoverReport,
  type DbusReport,
  type DiscoverReport,
  type PluginReport,
} from '../engine/coverage.js';
import type { PluginOutcome } from '../engine/discover.js';
import type { ConversionCandidate } from '../plugins/dbus-services/schema.js';
import { plugins } from '../plugins/registry.js';
import type { MachineState } from '../state/schema.js';

type Colors = ReturnType<typeof pc.createColors>;

const RULE = '─'.repeat(46);
const MAX_LISTED = 20;
const MAX_NAME_WIDTH = 44;
const DIFFICULTY_MARKS: Record<ConversionCandidate['difficulty'], string> = {
  easy: '🟢',
  medium: '🟡',
  hard: '🔴',
  unknown: '⚪',
};

export function discoverReportJson(state: MachineState, outcomes: PluginOutcome[]): DiscoverReport {
  return buildDiscoverReport(state, outcomes, plugins);
}

function heading(c: Colors, title: string): string[] {
  return ['', c.bold(title), c.dim(RULE)];
}

/** Long lists stop at MAX_LISTED with a pointer to the complete data. */
function capped<T>(c: Colors, items: readonly T[], render: (item: T) => string[]): string[] {
  const lines = items.slice(0, MAX_LISTED).flatMap(render);
  if (items.length > MAX_LISTED)
    lines.push(c.dim(`  … and ${items.length - MAX_LISTED} more (op-dbus discover --json lists them all)`));
  return lines;
}

function nameColumn(names: readonly string[]): (name: string) => string {
  const width = Math.min(
    MAX_NAME_WIDTH,
    Math.max(0, ...names.slice(0, MAX_LISTED).map((name) => name.length)),
  );
  return (name) => name.padEnd(width);
}

function busState(item: { running: boolean }): string {
  return item.running ? 'running    ' : 'activatable';
}

function renderMachine(c: Colors, machine: DiscoverReport['machine']): string[] {
  return [
    `${c.bold('🖥  MACHINE')} ${c.bold(machine.hostname ?? '(hostname unknown)')}`,
    c.dim(RULE),
    `  Kernel:    ${machine.kernelRelease ?? 'unknown'}`,
    `  Source:    bus ${machine.busAddress}, root ${machine.root}`,
    `  Captured:  ${machine.capturedAt} by op-dbus ${machine.opDbusVersion}`,
  ];
}

function renderDbus(c: Colors, dbus: DbusReport): string[] {
  if (!dbus.available) {
    return [...heading(c, '📊 SUMMARY'), `  ${c.yellow('D-Bus coverage unavailable:')} ${dbus.reason}`];
  }
  const { coverage } = dbus;
  const percent = `${coverage.percent.toFixed(1)}%`;
  const lines = [
    ...heading(c, '📊 SUMMARY'),
    `  Total D-Bus services:     ${coverage.total}`,
    `  ${c.green('✓')} Managed services:       ${coverage.managed}`,
    `  ${c.yellow('⊗')} Unmanaged services:     ${coverage.unmanaged}`,
    `  🔄 Conversion candidates: ${coverage.conversionCandidates}`,
    `  Coverage:                 ${c.bold(coverage.percent >= 80 ? c.green(percent) : percent)}`,
    ...dbus.notes.map((note) => c.dim(`  note: ${note}`)),
  ];

  const managedName = nameColumn(dbus.managed.map((item) => item.name));
  lines.push(...heading(c, '✅ MANAGED D-BUS SERVICES'));
  if (dbus.managed.length === 0) lines.push(c.dim('  none'));
  lines.push(
    ...capped(c, dbus.managed, (item) => [
      `  ${c.green('✓')} ${managedName(item.name)}  ${c.dim(busState(item))}  → plugin ${c.cyan(item.plugin)}`,
    ]),
  );

  const unmanagedName = nameColumn(dbus.unmanaged.map((item) => item.name));
  lines.push(...heading(c, '⊗ UNMANAGED D-BUS SERVICES (conversion opportunity)'));
  if (dbus.unmanaged.length === 0) lines.push(c.dim('  none: every service on the bus is managed'));
  lines.push(
    ...capped(c, dbus.unmanaged, (item) => {
      const advice = item.recommendedPlugin
        ? `→ recommended plugin: ${c.cyan(item.recommendedPlugin)}`
        : c.dim(item.running ? `no plugin yet (${item.interfaces} interfaces)` : 'no plugin yet');
      return [`  ${c.yellow('⊗')} ${unmanagedName(item.name)}  ${c.dim(busState(item))}  ${advice}`];
    }),
  );

  lines.push(...heading(c, '🔄 NON-D-BUS SERVICES (could be converted)'));
  if (dbus.conversionCandidates.length === 0) lines.push(c.dim('  none'));
  lines.push(
    ...capped(c, dbus.conversionCandidates, (candidate) => [
      `  ${DIFFICULTY_MARKS[candidate.difficulty]} ${candidate.unit}  ${c.dim(candidate.description)}`,
      `     ${c.dim('Opportunity:')} ${candidate.opportunity}`,
    ]),
  );
  return lines;
}

function renderPlugin(c: Colors, plugin: PluginReport, width: number): string {
  const name = plugin.plugin.padEnd(width);
  const ms = c.dim(`(${plugin.ms} ms)`);
  if (plugin.status === 'discovered') return `  ${c.green('✓')} ${name}  ${plugin.summary} ${ms}`;
  const mark = plugin.status === 'unavailable' ? c.yellow('–') : c.red('✗');
  return `  ${mark} ${name}  ${plugin.status}: ${plugin.reason} ${ms}`;
}

export function renderDiscoverReport(
  state: MachineState,
  outcomes: PluginOutcome[],
  options: { color: boolean },
): string {
  const c = pc.createColors(options.color);
  const report = buildDiscoverReport(state, outcomes, plugins);
  const width = Math.max(0, ...report.plugins.map((plugin) => plugin.plugin.length));
  const lines = [
    ...renderMachine(c, report.machine),
    ...renderDbus(c, report.dbus),
    ...heading(c, '🧩 PLUGINS'),
    ...(report.plugins.length === 0
      ? [c.dim('  none selected')]
      : report.plugins.map((plugin) => renderPlugin(c, plugin, width))),
  ];
  return `${lines.join('\n')}\n`;
}
