// The changes behind the OVS D-Bus methods. Each is ONE transaction whose first operations are guards (waits
// with timeout 0) restating what the service read or assumed, so the server commits it only if that still
// holds: two callers racing for a name get BridgeExists / PortExists rather than a constraint violation, and a
// delete never quietly misses a row another client removed in between.
import { ServiceMethodError } from '../dbus/service-types.js';
import type { OvsdbClient } from '../ovsdb/client.js';
import { failedGuard, noRowNamed, rowStillNamed } from '../ovsdb/guards.js';
import type { OvsdbOperation } from '../ovsdb/operations.js';
import { type SettledTransaction, transactSettled } from '../ovsdb/vswitchd.js';
import {
  addPortOperations,
  createBridgeOperations,
  deleteBridgeOperations,
  deletePortOperations,
  findBridge,
  type NewPort,
  portsOfBridge,
  readBridgesAndPorts,
} from './ovs-bridges.js';
import { OVSDB_ERROR } from './ovsdb-session.js';

export interface OvsChangeContext {
  client: OvsdbClient;
  /** The transaction's comment: who made the change and what it is. */
  comment: string;
  timeoutMs: number;
}

interface Guard {
  operation: OvsdbOperation;
  error(): ServiceMethodError;
}

export const noSuchBridge = (name: string) =>
  new ServiceMethodError(OVSDB_ERROR.noSuchBridge, `no bridge named ${JSON.stringify(name)}`);

const nameTaken = (what: string, name: string) => () =>
  new ServiceMethodError(
    what === 'bridge' ? OVSDB_ERROR.bridgeExists : OVSDB_ERROR.portExists,
    `${what} ${JSON.stringify(name)} already exists`,
  );

/** The guards, then the operations, in one transaction; a guard that fails becomes its own error. */
async function guardedTransaction(
  { client, timeoutMs }: OvsChangeContext,
  guards: readonly Guard[],
  operations: readonly OvsdbOperation[],
  interfaces: readonly string[] = [],
): Promise<SettledTransaction> {
  try {
    const all = [...guards.map((guard) => guard.operation), ...operations];
    return await transactSettled(client, all, { interfaces, timeoutMs });
  } catch (error) {
    const failed = failedGuard(error, guards.length);
    throw failed === undefined ? error : (guards[failed] as Guard).error();
  }
}

/** Names a port and its interface take, which no Port or Interface row may have already (both are indexed). */
const freeName = (name: string, taken: () => ServiceMethodError): Guard[] => [
  { operation: noRowNamed('Port', name), error: taken },
  { operation: noRowNamed('Interface', name), error: taken },
];

/** `ovs-vsctl add-br`: the bridge, its internal port and interface of the same name. */
export function createBridge(context: OvsChangeContext, bridge: string): Promise<SettledTransaction> {
  const guards = [
    { operation: noRowNamed('Bridge', bridge), error: nameTaken('bridge', bridge) },
    ...freeName(bridge, nameTaken('port', bridge)),
  ];
  return guardedTransaction(context, guards, createBridgeOperations(bridge, context.comment), [bridge]);
}

/** `ovs-vsctl del-br`. */
export async function deleteBridge(context: OvsChangeContext, bridge: string): Promise<SettledTransaction> {
  const row = await findBridge(context.client, bridge);
  if (!row) throw noSuchBridge(bridge);
  const guards = [
    { operation: rowStillNamed('Bridge', row.uuid, bridge), error: () => noSuchBridge(bridge) },
  ];
  return guardedTransaction(context, guards, deleteBridgeOperations(row, context.comment));
}

/** `ovs-vsctl add-port`; `taken` is the error when the port's name is in use. */
export async function addPort(
  context: OvsChangeContext,
  bridge: string,
  port: NewPort,
  taken = nameTaken('port', port.name),
): Promise<SettledTransaction> {
  const row = await findBridge(context.client, bridge);
  if (!row) throw noSuchBridge(bridge);
  const guards = [
    { operation: rowStillNamed('Bridge', row.uuid, bridge), error: () => noSuchBridge(bridge) },
    ...freeName(port.name, taken),
  ];
  return guardedTransaction(context, guards, addPortOperations(row, port, context.comment), [port.name]);
}

/** `ovs-vsctl del-port BRIDGE PORT`; `missing` is the error when the bridge has no such port. */
export async function deletePort(
  context: OvsChangeContext,
  bridge: string,
  port: string,
  missing: () => ServiceMethodError,
): Promise<SettledTransaction> {
  const { bridges, ports } = await readBridgesAndPorts(context.client);
  const row = bridges.find((candidate) => candidate.name === bridge);
  if (!row) throw noSuchBridge(bridge);
  const found = portsOfBridge(row, ports).find((candidate) => candidate.name === port);
  if (!found) throw missing();
  const guards = [
    { operation: rowStillNamed('Bridge', row.uuid, bridge), error: () => noSuchBridge(bridge) },
    { operation: rowStillNamed('Port', found.uuid, port), error: missing },
  ];
  return guardedTransaction(context, guards, deletePortOperations(row, found, context.comment));
}
