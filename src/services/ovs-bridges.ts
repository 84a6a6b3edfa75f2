// The reads and single-transaction changes behind the Open vSwitch D-Bus methods, shaped like ovs-vsctl's
// add-br / del-br / add-port / del-port so the results look the same to every other OVS client.
import type { OvsdbClient } from '../ovsdb/client.js';
import { mapEntries, namedUuid, ovsMap, uuid, uuidOf, uuidSet } from '../ovsdb/datum.js';
import type { OvsdbOperation } from '../ovsdb/operations.js';

const DB = 'Open_vSwitch';

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
  const [bridges, ports] = await client.transact(DB, [
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
  const [result] = await client.transact(DB, [
    { op: 'select', table: 'Bridge', where: [], columns: ['name'] },
  ]);
  return (result?.rows ?? []).map((row) => String(row.name)).sort();
}

export async function findBridge(client: OvsdbClient, name: string): Promise<BridgeRow | undefined> {
  const [result] = await client.transact(DB, [
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

function insertPort(port: NewPort, label: string): OvsdbOperation[] {
  const externalIds = ovsMap(port.externalIds ?? {});
  return [
    {
      op: 'insert',
      table: 'Interface',
      row: { name: port.name, type: port.type, external_ids: externalIds },
      'uuid-name': `${label}_iface`,
    },
    {
      op: 'insert',
      table: 'Port',
      row: { name: port.name, interfaces: namedUuid(`${label}_iface`), external_ids: externalIds },
      'uuid-name': label,
    },
  ];
}

/** A bridge with its internal port of the same name, referenced from the root row: `ovs-vsctl add-br`. */
export function createBridgeOperations(name: string, comment: string): OvsdbOperation[] {
  return [
    ...insertPort({ name, type: 'internal' }, 'local'),
    { op: 'insert', table: 'Bridge', row: { name, ports: namedUuid('local') }, 'uuid-name': 'bridge' },
    { op: 'mutate', table: DB, where: [], mutations: [['bridges', 'insert', namedUuid('bridge')]] },
    { op: 'comment', comment },
  ];
}

/** Unreferenced Bridge, Port and Interface rows are garbage-collected by the server (they are not root rows). */
export function deleteBridgeOperations(bridge: BridgeRow, comment: string): OvsdbOperation[] {
  return [
    { op: 'mutate', table: DB, where: [], mutations: [['bridges', 'delete', uuid(bridge.uuid)]] },
    { op: 'comment', comment },
  ];
}

export function addPortOperations(bridge: BridgeRow, port: NewPort, comment: string): OvsdbOperation[] {
  return [
    ...insertPort(port, 'port'),
    {
      op: 'mutate',
      table: 'Bridge',
      where: [['_uuid', '==', uuid(bridge.uuid)]],
      mutations: [['ports', 'insert', namedUuid('port')]],
    },
    { op: 'comment', comment },
  ];
}

export function deletePortOperations(bridge: BridgeRow, port: PortRow, comment: string): OvsdbOperation[] {
  return [
    {
      op: 'mutate',
      table: 'Bridge',
      where: [['_uuid', '==', uuid(bridge.uuid)]],
      mutations: [['ports', 'delete', uuid(port.uuid)]],
    },
    { op: 'comment', comment },
  ];
}
