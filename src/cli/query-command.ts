// `op-dbus query`: the live state of a machine, section by section.
import { Command } from '@commander-js/extra-typings';
import { discoverMachine } from '../engine/discover.js';
import { plugins } from '../plugins/registry.js';
import {
  busAddressOption,
  machineFromFlags,
  ovsdbOption,
  rootOption,
  timeoutOption,
} from './machine-options.js';
import { toJsonText } from './output.js';
import { renderSections } from './render-sections.js';
import { collectRepeatable, selectPlugins } from './select-plugins.js';

export function queryCommand(): Command {
  return new Command('query')
    .description('show the live state of a machine (config and facts of each plugin section)')
    .option('--plugin <name>', 'only this plugin (repeatable, or comma-separated)', collectRepeatable)
    .option('--json', 'print the sections as JSON')
    .option('--config-only', 'omit facts, show only what can be desired and applied')
    .addOption(busAddressOption())
    .addOption(rootOption())
    .addOption(timeoutOption())
    .addOption(ovsdbOption())
    .action(async (options) => {
      const selected = selectPlugins(options.plugin);
      const machine = machineFromFlags(options);
      try {
        const { state } = await discoverMachine(machine, { plugins: selected, registry: plugins });
        const sections = Object.fromEntries(
          Object.entries(state.sections).map(([name, section]) => [
            name,
            options.configOnly ? { config: section.config } : section,
          ]),
        );
        if (options.json) {
          process.stdout.write(toJsonText({ sections, unavailable: state.unavailable }));
        } else {
          process.stdout.write(renderSections(sections, state.unavailable));
        }
      } finally {
        await machine.close();
      }
    });
}
