// The reads and single-transaction changes behind the Open vSwitch D-Bus methods, shaped like ovs-vsctl's
// add-br / del-br / add-port / del-port so the results look the same to every other OVS client.
import type { OvsdbClient } from '../ovsdb/client.js';
import { mapEntries, uuidOf, uuidSet } from '../ovsdb/datum.js';
import type { OvsdbOperation } from '../ovsdb/operations.js';
import { emptyPort, newBridge } from '../ovsdb/vswitch-model.js';
import { VSWITCH_DB } from '../ovsdb/vswitch-read.js';
import { VswitchOperationList } from '../ovsdb/vswitch-transaction.js';

export interface BridgeRow {
  uuid: string;
  name: string;
  portUuids: string[];
}

export interface PortRow {
  uuid: string;
  name: string;
  externalIds: Record<string, string>;
}

/** Every bridge and port in one round trip (both tables are small next to a round trip's cost). */
export async function readBridgesAndPorts(
  client: OvsdbClient,
): Promise<{ bridges: BridgeRow[]; ports: PortRow[] }> {
  const [bridges, ports] = await client.transact(VSWITCH_DB, [
    { op: 'select', table: 'Bridge', where: [], columns: ['_uuid', 'name', 'ports'] },
    { op: 'select', table: 'Port', where: [], columns: ['_uuid', 'name', 'external_ids'] },
  ]);
  return {
    bridges: (bridges?.rows ?? []).map((row) => ({
      uuid: uuidOf(row._uuid) ?? '',
      name: String(row.name),
      portUuids: uuidSet(row.ports),
    })),
    ports: (ports?.rows ?? []).map((row) => ({
      uuid: uuidOf(row._uuid) ?? '',
      name: String(row.name),
      externalIds: mapEntries(row.external_ids),
    })),
  };
}

export async function bridgeNames(client: OvsdbClient): Promise<string[]> {
  const [result] = await client.transact(VSWITCH_DB, [
    { op: 'select', table: 'Bridge', where: [], columns: ['name'] },
  ]);
  return (result?.rows ?? []).map((row) => String(row.name)).sort();
}

export async function findBridge(client: OvsdbClient, name: string): Promise<BridgeRow | undefined> {
  const [result] = await client.transact(VSWITCH_DB, [
    { op: 'select', table: 'Bridge', where: [['name', '==', name]], columns: ['_uuid', 'name', 'ports'] },
  ]);
  const row = result?.rows?.[0];
  return row && { uuid: uuidOf(row._uuid) ?? '', name, portUuids: uuidSet(row.ports) };
}

/** Ports of `bridge` by name, leaving out the bridge's own internal port as `ovs-vsctl list-ports` does. */
export function portsOfBridge(bridge: BridgeRow, ports: readonly PortRow[]): PortRow[] {
  const onBridge = new Set(bridge.portUuids);
  return ports.filter((port) => onBridge.has(port.uuid) && port.name !== bridge.name);
}

export interface NewPort {
  name: string;
  /** Interface type: '' (a system device) or 'internal' (a device OVS creates). */
  type: '' | 'internal';
  externalIds?: Record<string, string>;
}

/** The operations of one transaction: what `build` adds, then the comment saying who made it and why. */
function oneTransaction(comment: string, build: (list: VswitchOperationList) => void): OvsdbOperation[] {
  const list = new VswitchOperationList();
  build(list);
  list.comment(comment);
  return list.operations;
}

/** A bridge with its internal port of the same name, referenced from the root row: `ovs-vsctl add-br`. */
export const createBridgeOperations = (name: string, comment: string) =>
  oneTransaction(comment, (list) => list.createBridge(name, newBridge(name)));

export const deleteBridgeOperations = (bridge: BridgeRow, comment: string) =>
  oneTransaction(comment, (list) => list.deleteBridge(bridge.uuid));

/** A port with one interface of its own name, both carrying the port's external ids: `ovs-vsctl add-port`. */
export function addPortOperations(bridge: BridgeRow, port: NewPort, comment: string): OvsdbOperation[] {
  const externalIds = port.externalIds ?? {};
  const iface = { type: port.type, options: {}, externalIds, mtuRequest: null };
  const config = { ...emptyPort({ [port.name]: iface }), externalIds };
  return oneTransaction(comment, (list) => list.addPort(bridge.uuid, port.name, config));
}

export const deletePortOperations = (bridge: BridgeRow, port: PortRow, comment: string) =>
  oneTransaction(comment, (list) => list.deletePort(bridge.uuid, port.uuid));
