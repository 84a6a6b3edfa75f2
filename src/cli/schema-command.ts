// `op-dbus schema`: prints the JSON Schema of MachineState v1 (for editors and CI validation of captures).
import { Command } from '@commander-js/extra-typings';
import { plugins } from '../plugins/registry.js';
import { machineStateJsonSchema } from '../state/json-schema.js';
import { toJsonText } from './output.js';

export function schemaCommand(): Command {
  return new Command('schema')
    .description('print the JSON Schema of the MachineState document')
    .action(() => {
      process.stdout.write(toJsonText(machineStateJsonSchema(plugins)));
    });
}
