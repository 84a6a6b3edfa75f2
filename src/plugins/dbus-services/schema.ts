// The dbus-services section: every name on the bus with its owner, unit and introspected object tree,
// plus the coverage of those names by op-dbus plugins and the running daemons that have no bus API yet.
import { z } from 'zod';

const argSchema = z
  .object({
    name: z.string().optional().describe('Argument name, when the service declares one'),
    type: z.string().describe('D-Bus type signature of the argument'),
    direction: z.enum(['in', 'out']).optional().describe('Method arguments: in or out'),
  })
  .strict();

const memberSchema = z
  .object({
    name: z.string().describe('Method or signal name'),
    args: z.array(argSchema).describe('Arguments in declared order'),
  })
  .strict();

const propertySchema = z
  .object({
    name: z.string(),
    type: z.string().describe('D-Bus type signature'),
    access: z.enum(['read', 'write', 'readwrite']),
  })
  .strict();

export const interfaceDefinitionSchema = z
  .object({
    methods: z.array(memberSchema),
    signals: z.array(memberSchema),
    properties: z.array(propertySchema),
  })
  .strict();

export const busServiceSchema = z
  .object({
    running: z.boolean().describe('Whether the name has an owner on the bus now'),
    activatable: z
      .boolean()
      .describe('Whether the bus can start the service on demand (ListActivatableNames)'),
    owner: z.string().optional().describe('Unique connection name owning the name'),
    pid: z.number().int().optional().describe("Owner's PID in the bus's PID namespace"),
    uid: z.number().int().optional().describe("Owner's user ID"),
    command: z.string().optional().describe("Owner's command name (/proc/PID/comm)"),
    unit: z.string().optional().describe('systemd unit the owner runs in (Manager.GetUnitByPID)'),
    unitError: z
      .string()
      .optional()
      .describe('Why the owning unit is unknown (GetUnitByPID failed: timeout, limits exceeded …)'),
    managedBy: z.string().optional().describe('op-dbus plugin that manages this name'),
    recommendedPlugin: z.string().optional().describe('Plugin that would manage this unmanaged name'),
    interfaces: z
      .record(z.string(), interfaceDefinitionSchema)
      .describe(
        'Each interface the service implements, defined once; the standard Peer/Introspectable/Properties are left out',
      ),
    objects: z
      .record(z.string(), z.array(z.string()))
      .describe('Object path → interface names implemented there'),
    objectsVisited: z
      .number()
      .int()
      .describe('Object paths introspected (including ones without interfaces)'),
    objectsSkipped: z
      .number()
      .int()
      .describe(
        'Objects listed by their parents but not introspected (wide nodes sampled, object limit reached)',
      ),
    truncated: z
      .boolean()
      .describe(
        'Not every object was introspected: wide nodes sampled, the object limit reached, or a timeout',
      ),
    introspectionError: z
      .string()
      .optional()
      .describe('First introspection failure (AccessDenied, timeout …)'),
    introspectMs: z.number().optional().describe('Time the introspection walk took'),
  })
  .strict();

export const coverageSchema = z
  .object({
    total: z.number().int().describe('Well-known bus names, running or activatable'),
    managed: z.number().int().describe('Names an op-dbus plugin manages'),
    unmanaged: z.number().int(),
    conversionCandidates: z.number().int().describe('Running service units that own no bus name'),
    percent: z.number().describe('managed / total, one decimal'),
  })
  .strict();

export const conversionCandidateSchema = z
  .object({
    unit: z.string(),
    description: z.string(),
    difficulty: z.enum(['easy', 'medium', 'hard', 'unknown']),
    opportunity: z.string().describe('What a D-Bus API for this daemon could offer'),
  })
  .strict();

// Nothing here is appliable: which names are activatable follows from installed packages (the packages
// section) and which are running changes at runtime (activation on demand), so the config stays empty.
export const dbusServicesConfigSchema = z.object({}).strict();

export const dbusServicesFactsSchema = z
  .object({
    source: z.literal('dbus'),
    services: z.record(z.string(), busServiceSchema).describe('Well-known bus names, sorted'),
    uniqueConnections: z
      .number()
      .int()
      .describe('Connections on the bus (unique names), including op-dbus itself'),
    coverage: coverageSchema,
    conversionCandidates: z.array(conversionCandidateSchema),
    notes: z
      .array(z.string())
      .describe('Why some facts are missing (no systemd on the bus, PID namespace mismatch …)'),
  })
  .strict();

export type InterfaceDefinition = z.infer<typeof interfaceDefinitionSchema>;
export type BusService = z.infer<typeof busServiceSchema>;
export type Coverage = z.infer<typeof coverageSchema>;
export type ConversionCandidate = z.infer<typeof conversionCandidateSchema>;
export type DbusServicesConfig = z.infer<typeof dbusServicesConfigSchema>;
export type DbusServicesFacts = z.infer<typeof dbusServicesFactsSchema>;
