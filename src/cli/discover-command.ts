// `op-dbus discover`: the report of what a machine is made of, or (`--export`) its MachineState capture.
import { Command, Option } from '@commander-js/extra-typings';
import { DEFAULT_PLUGIN_TIMEOUT_MS, discoverMachine } from '../engine/discover.js';
import { plugins } from '../plugins/registry.js';
import { discoverReportJson, renderDiscoverReport } from './discover-report.js';
import { UsageError } from './errors.js';
import { exportState, writeExport } from './export-command.js';
import {
  busAddressOption,
  machineFromFlags,
  ovsdbOption,
  parsePositiveInt,
  rootOption,
  timeoutOption,
} from './machine-options.js';
import { toJsonText, writeOutputFile } from './output.js';
import { pluginProgress } from './progress.js';
import { recordCapture } from './record-capture.js';
import { collectRepeatable, selectPlugins } from './select-plugins.js';

/** `-o web-01.nix` (or `web-01.json`, or `web-01`) → web-01.json and web-01.nix, as the seeds show it. */
function generateNixPaths(output: string | undefined): { json: string; nix: string } {
  if (!output || output === '-')
    throw new UsageError(
      '--generate-nix writes two files: give their name with -o',
      'op-dbus discover --export --generate-nix -o web-01.nix',
    );
  const base = output.replace(/\.(nix|json)$/, '');
  return { json: `${base}.json`, nix: `${base}.nix` };
}

export function discoverCommand(): Command {
  return new Command('discover')
    .description('scan a machine: what it is made of and how much of it op-dbus manages')
    .option('--export', 'write the MachineState document instead of the report')
    .option('-o, --output <file>', 'write the MachineState document to FILE (implies --export; - for stdout)')
    .option(
      '--generate-nix',
      'with --export -o NAME: also write the NixOS configuration (NAME.json and NAME.nix)',
    )
    .option('--json', 'print the report as JSON')
    .option('--plugin <name>', 'only run this plugin (repeatable, or comma-separated)', collectRepeatable)
    .option('--strict', 'exit 1 if any selected plugin is unavailable or fails')
    .addOption(
      new Option('--plugin-timeout <ms>', 'time box for each plugin in milliseconds').default(
        String(DEFAULT_PLUGIN_TIMEOUT_MS),
      ),
    )
    .addOption(busAddressOption())
    .addOption(rootOption())
    .addOption(timeoutOption())
    .addOption(ovsdbOption())
    .action(async (options) => {
      const selected = selectPlugins(options.plugin);
      const pluginTimeoutMs = parsePositiveInt(options.pluginTimeout, '--plugin-timeout');
      const machine = machineFromFlags(options);
      const progress = pluginProgress(selected.length);
      try {
        const { state, outcomes } = await discoverMachine(machine, {
          plugins: selected,
          registry: plugins,
          pluginTimeoutMs,
          onProgress: (outcome) => progress.update(outcome),
        });
        progress.done();
        if (options.generateNix) {
          const { json, nix } = generateNixPaths(options.output);
          const written = await writeOutputFile(json, toJsonText(state));
          process.stderr.write(`✓ Exported machine state to: ${written}\n`);
          await writeExport(exportState(state, 'nix'), nix, 'nix');
          await recordCapture(machine, state);
        } else if (options.export || options.output) {
          const text = toJsonText(state);
          if (options.output && options.output !== '-') {
            const written = await writeOutputFile(options.output, text);
            process.stderr.write(`✓ Exported machine state to: ${written}\n`);
          } else {
            process.stdout.write(text);
          }
          await recordCapture(machine, state);
        } else if (options.json) {
          process.stdout.write(toJsonText(discoverReportJson(state, outcomes)));
        } else {
          process.stdout.write(
            renderDiscoverReport(state, outcomes, { color: Boolean(process.stdout.isTTY) }),
          );
        }
        for (const outcome of outcomes) {
          if (outcome.status === 'failed')
            process.stderr.write(`op-dbus: warning: plugin ${outcome.plugin} failed: ${outcome.reason}\n`);
        }
        const incomplete = outcomes.some((outcome) => outcome.status !== 'discovered');
        if (Object.keys(state.sections).length === 0) {
          for (const { plugin, reason } of state.unavailable)
            process.stderr.write(`op-dbus: ${plugin}: ${reason}\n`);
          process.stderr.write(
            'op-dbus: error: no plugin could read this machine; check --root and --bus-address\n',
          );
          process.exitCode = 1;
        } else if (options.strict && incomplete) process.exitCode = 1;
      } finally {
        progress.done();
        await machine.close();
      }
    });
}
