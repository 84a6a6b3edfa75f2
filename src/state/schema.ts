// MachineState v1: the versioned document op-dbus captures, plans from and verifies against.
// Sections come from the plugin registry, so adding a plugin adds its section to the schema.
import { z } from 'zod';
import type { Plugin } from '../plugins/types.js';

export const API_VERSION = 'op-dbus/v1';

export const metadataSchema = z
  .object({
    hostname: z.string().nullable().describe('Static hostname of the captured machine'),
    machineId: z.string().nullable().describe('/etc/machine-id of the captured machine'),
    kernelRelease: z.string().nullable().describe('Running kernel release (uname -r)'),
    capturedAt: z.iso.datetime().describe('When the capture was taken (UTC, ISO 8601)'),
    opDbusVersion: z.string().describe('Version of op-dbus that took the capture'),
    source: z.object({ busAddress: z.string(), root: z.string() }).strict(),
  })
  .strict();

export const unavailableSchema = z
  .object({
    plugin: z.string(),
    reason: z.string(),
  })
  .strict();

export const redactionSchema = z
  .object({
    path: z.string().describe('JSON Pointer of the withheld value'),
    reason: z.string(),
  })
  .strict();

export const integritySchema = z
  .object({
    algorithm: z.literal('sha256'),
    document: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .describe('Hash of the canonical document without `integrity`'),
    sections: z
      .record(z.string(), z.string().regex(/^[0-9a-f]{64}$/))
      .describe('Hash of each canonical section'),
    config: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .describe('Hash of the config of all sections: equal means no drift'),
  })
  .strict();

export function sectionSchema<C, F>(plugin: Plugin<C, F>) {
  return z.object({ config: plugin.configSchema, facts: plugin.factsSchema }).strict();
}

export function buildMachineStateSchema(plugins: readonly Plugin<unknown, unknown>[]) {
  const sections: Record<string, z.ZodType> = {};
  for (const plugin of plugins) sections[plugin.name] = sectionSchema(plugin).optional();
  return z
    .object({
      apiVersion: z.literal(API_VERSION),
      kind: z.literal('MachineState'),
      metadata: metadataSchema,
      sections: z.object(sections).strict(),
      unavailable: z.array(unavailableSchema),
      redactions: z.array(redactionSchema),
      integrity: integritySchema,
    })
    .strict();
}

export type Metadata = z.infer<typeof metadataSchema>;
export type Integrity = z.infer<typeof integritySchema>;

export interface Section {
  config: unknown;
  facts: unknown;
}

export interface MachineState {
  apiVersion: typeof API_VERSION;
  kind: 'MachineState';
  metadata: Metadata;
  sections: Record<string, Section>;
  unavailable: { plugin: string; reason: string }[];
  redactions: { path: string; reason: string }[];
  integrity: Integrity;
}
