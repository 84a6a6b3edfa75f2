// `op-dbus verify FILE`: drift of this machine from a captured state, item by item, expected vs actual.
import { Command } from '@commander-js/extra-typings';
import pc from 'picocolors';
import { type DriftReport, driftOf, hasDrift, planAgainstMachine } from '../engine/verify.js';
import { plugins } from '../plugins/registry.js';
import { loadStateDocument } from './load-document.js';
import {
  busAddressOption,
  machineFromFlags,
  ovsdbOption,
  rootOption,
  timeoutOption,
} from './machine-options.js';
import { toJsonText } from './output.js';
import { renderUnresolved } from './render-plan.js';
import { collectRepeatable, selectPlugins } from './select-plugins.js';

function show(value: unknown): string {
  if (value === null || value === undefined) return '(absent)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const oneLine = text.replaceAll('\n', '⏎');
  return oneLine.length > 70 ? `${oneLine.slice(0, 67)}…` : oneLine;
}

export function renderDrift(report: DriftReport, color: boolean): string {
  const out: string[] = [];
  const bold = color ? pc.bold : (text: string) => text;
  if (report.drift.length > 0) {
    out.push(bold(`Drift (${report.drift.length}):`));
    for (const item of report.drift) {
      out.push(
        `  ✗ ${item.section} ${item.kind} ${item.target}${item.pendingReboot ? ' (boot configuration)' : ''}`,
      );
      out.push(`      expected: ${show(item.expected)}`);
      out.push(`      actual:   ${show(item.actual)}`);
    }
  }
  if (report.unresolved.length > 0)
    out.push(
      bold(`Differences apply cannot fix (${report.unresolved.length}):`),
      ...renderUnresolved(report.unresolved, { color }),
    );
  if (report.pendingReboot.length > 0) {
    out.push(bold('Pending reboot (configured, in effect after the next boot; not drift):'));
    for (const item of report.pendingReboot) out.push(`  ↻ ${item.section}: ${item.description}`);
  }
  out.push(
    hasDrift(report)
      ? `Drift found in ${[...new Set([...report.drift.map((d) => d.section), ...report.unresolved.map((u) => u.plugin)])].join(', ')}.`
      : `No drift: ${report.sections.join(', ') || 'no section'} match${report.sections.length === 1 ? 'es' : ''} the desired state.`,
  );
  return `${out.join('\n')}\n`;
}

export function verifyCommand() {
  return new Command('verify')
    .description('check this machine against a captured state and report drift per item')
    .argument('<file>', 'MachineState document (- for standard input)')
    .option('--json', 'print the drift report as JSON')
    .option('--plugin <name>', 'only verify this section (repeatable, or comma-separated)', collectRepeatable)
    .option('--prune', 'count what the machine has beyond the document as drift the plan removes')
    .addOption(busAddressOption())
    .addOption(rootOption())
    .addOption(timeoutOption())
    .addOption(ovsdbOption())
    .addHelpText('after', '\nExit status: 0 no drift, 2 drift, 1 error.')
    .action(async (file, options) => {
      const selected = selectPlugins(options.plugin);
      const desired = await loadStateDocument(file);
      const machine = machineFromFlags(options);
      try {
        const { plan, current } = await planAgainstMachine(machine, desired, {
          plugins: selected,
          registry: plugins,
          prune: Boolean(options.prune),
        });
        const report = driftOf(plan, current, selected);
        process.stdout.write(
          options.json
            ? toJsonText({ hasDrift: hasDrift(report), ...report })
            : renderDrift(report, Boolean(process.stdout.isTTY)),
        );
        if (hasDrift(report)) process.exitCode = 2;
      } finally {
        await machine.close();
      }
    });
}
