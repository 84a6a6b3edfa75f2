// The op-dbus library: read a machine through its bus and root, and capture it as a MachineState document.
export { DbusConnection, openDbusConnection } from './dbus/connection.js';
export { DbusCallError, DbusConnectError, DbusTimeoutError } from './dbus/errors.js';
export {
  type DiscoverOptions,
  type DiscoverResult,
  discoverMachine,
  type PluginOutcome,
} from './engine/discover.js';
export { Machine, type MachineOptions } from './machine/machine.js';
export { findPlugin, plugins } from './plugins/registry.js';
export type { Availability, Discovered, Plugin } from './plugins/types.js';
export { canonicalJson, hashOf } from './state/canonical.js';
export { InvalidDocumentError, validateDocument } from './state/document.js';
export { machineStateJsonSchema } from './state/json-schema.js';
export { API_VERSION, buildMachineStateSchema, type MachineState } from './state/schema.js';
