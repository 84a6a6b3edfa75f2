// `op-dbus export --format nix|ansible [FILE | --live]`: a capture (or the live machine) as a NixOS
// configuration or an Ansible playbook, with everything the format cannot express listed in the output.
import { Command, Option } from '@commander-js/extra-typings';
import { discoverMachine } from '../engine/discover.js';
import { machineStateToPlaybook } from '../export/ansible/playbook.js';
import { machineStateToNix } from '../export/nix/module.js';
import { plugins } from '../plugins/registry.js';
import type { MachineState } from '../state/schema.js';
import { UsageError } from './errors.js';
import { loadStateDocument } from './load-document.js';
import {
  busAddressOption,
  machineFromFlags,
  ovsdbOption,
  rootOption,
  timeoutOption,
} from './machine-options.js';
import { writeOutputFile } from './output.js';

export type ExportFormat = 'nix' | 'ansible';

export interface ExportResult {
  text: string;
  /** What the format cannot express, one line each. */
  leftOut: string[];
}

export function exportState(state: MachineState, format: ExportFormat, hosts = 'all'): ExportResult {
  if (format === 'nix') {
    const { text, unmapped } = machineStateToNix(state);
    return { text, leftOut: unmapped.map((entry) => `${entry.item}: ${entry.reason}`) };
  }
  const { text, unsupported } = machineStateToPlaybook(state, { hosts });
  return { text, leftOut: unsupported.map((entry) => `${entry.item}: ${entry.reason}`) };
}

/** Writes an export to OUT (atomically) or stdout, and says on stderr how much was left out. */
export async function writeExport(result: ExportResult, output: string | undefined, format: ExportFormat) {
  if (output && output !== '-') {
    const written = await writeOutputFile(output, result.text);
    process.stderr.write(
      `✓ Generated ${format === 'nix' ? 'NixOS configuration' : 'Ansible playbook'}: ${written}\n`,
    );
  } else {
    process.stdout.write(result.text);
  }
  if (result.leftOut.length > 0)
    process.stderr.write(
      `op-dbus: ${result.leftOut.length} items could not be expressed; they are listed in a comment at the end of the output\n`,
    );
}

export function exportCommand() {
  return new Command('export')
    .description('turn a capture (or the live machine) into a NixOS configuration or an Ansible playbook')
    .argument('[file]', 'MachineState document (- for standard input); omit with --live')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['nix', 'ansible'] as const)
        .makeOptionMandatory(),
    )
    .option('--live', 'export the live machine instead of a file')
    .option('-o, --output <file>', 'write to FILE instead of standard output')
    .option('--hosts <pattern>', 'Ansible: the hosts the play targets', 'all')
    .addOption(busAddressOption())
    .addOption(rootOption())
    .addOption(timeoutOption())
    .addOption(ovsdbOption())
    .action(async (file, options) => {
      if (Boolean(options.live) === (file !== undefined))
        throw new UsageError(
          'give a MachineState document, or --live',
          'op-dbus export --format nix web-01.json',
        );
      let state: MachineState;
      if (file !== undefined) {
        state = await loadStateDocument(file);
      } else {
        const machine = machineFromFlags(options);
        try {
          state = (await discoverMachine(machine, { plugins, registry: plugins })).state;
        } finally {
          await machine.close();
        }
      }
      await writeExport(exportState(state, options.format, options.hosts), options.output, options.format);
    });
}
