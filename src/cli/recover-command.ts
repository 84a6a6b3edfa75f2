// `op-dbus recover`: finish an apply that was interrupted (op-dbus killed, power lost) by rolling back
// every change its journal says may have happened, then proving the checkpoint is restored.
import { Command } from '@commander-js/extra-typings';
import { recoverInterruptedApply, withMachineLock } from '../engine/apply.js';
import { plugins } from '../plugins/registry.js';
import {
  busAddressOption,
  machineFromFlags,
  ovsdbOption,
  rootOption,
  timeoutOption,
} from './machine-options.js';
import { toJsonText } from './output.js';

export function recoverCommand() {
  return new Command('recover')
    .description('roll back an interrupted apply from its journal (apply does this by itself first)')
    .option('--json', 'print the outcome as JSON')
    .addOption(busAddressOption())
    .addOption(rootOption())
    .addOption(timeoutOption())
    .addOption(ovsdbOption())
    .addHelpText(
      'after',
      '\nExit status: 0 nothing to recover or rolled back, 1 rollback incomplete or error.',
    )
    .action(async (options) => {
      const machine = machineFromFlags(options);
      try {
        const result = await withMachineLock(machine, () =>
          recoverInterruptedApply(machine, {
            registry: plugins,
            onEvent: (event) => {
              if (event.type === 'undone')
                process.stderr.write(
                  event.error
                    ? `  ✗ could not undo ${event.change.description}: ${event.error.message}\n`
                    : `  ↶ undone: ${event.change.description}\n`,
                );
            },
          }),
        );
        if (options.json)
          process.stdout.write(toJsonText({ recovered: result !== undefined, ...(result ?? {}) }));
        else if (!result) process.stdout.write('Nothing to recover: no interrupted apply on this machine.\n');
        else if (result.restored)
          process.stdout.write(
            `Recovered: ${result.undone} changes undone; the machine is back at its checkpoint.\n`,
          );
        else
          process.stdout.write(
            `Recovery INCOMPLETE: still different from the checkpoint: ${result.remaining.map((item) => `${item.section} ${item.item}`).join(', ')}\n`,
          );
        if (result && !result.restored) process.exitCode = 1;
      } finally {
        await machine.close();
      }
    });
}
