// `op-dbus plan FILE`: what apply would change on this machine to make it match a capture.
import { Command } from '@commander-js/extra-typings';
import { planAgainstMachine } from '../engine/verify.js';
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
import { planJson, renderPlan } from './render-plan.js';
import { collectRepeatable, selectPlugins } from './select-plugins.js';

export function planCommand() {
  return new Command('plan')
    .description('show the changes that would make this machine match a captured state (changes nothing)')
    .argument('<file>', 'MachineState document (- for standard input)')
    .option('--json', 'print the plan as JSON')
    .option('--plugin <name>', 'only plan this section (repeatable, or comma-separated)', collectRepeatable)
    .option('--prune', 'also remove what the machine has beyond the document (extra packages)')
    .addOption(busAddressOption())
    .addOption(rootOption())
    .addOption(timeoutOption())
    .addOption(ovsdbOption())
    .addHelpText('after', '\nExit status: 0 no changes, 2 changes or unresolved differences, 1 error.')
    .action(async (file, options) => {
      const selected = selectPlugins(options.plugin);
      const desired = await loadStateDocument(file);
      const machine = machineFromFlags(options);
      try {
        const { plan } = await planAgainstMachine(machine, desired, {
          plugins: selected,
          registry: plugins,
          prune: Boolean(options.prune),
        });
        process.stdout.write(
          options.json
            ? toJsonText(planJson(plan))
            : renderPlan(plan, { color: Boolean(process.stdout.isTTY) }),
        );
        if (plan.changes.length > 0 || plan.unresolved.length > 0) process.exitCode = 2;
      } finally {
        await machine.close();
      }
    });
}
