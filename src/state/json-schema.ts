// The published JSON Schema of MachineState v1, generated from the zod schema so the two never disagree.
import { z } from 'zod';
import type { Plugin } from '../plugins/types.js';
import { buildMachineStateSchema } from './schema.js';

export const JSON_SCHEMA_ID = 'https://op-dbus.dev/schema/machine-state.v1.json';

export function machineStateJsonSchema(plugins: readonly Plugin[]): Record<string, unknown> {
  const generated = z.toJSONSchema(buildMachineStateSchema(plugins), {
    target: 'draft-2020-12',
    io: 'output',
  });
  return {
    ...generated,
    $id: JSON_SCHEMA_ID,
    title: 'op-dbus MachineState v1',
    description: 'A capture of one Linux machine: one section per plugin, each separating config from facts.',
  };
}
