// Reads Open vSwitch's configuration in one round trip (one transaction of selects, so every table is seen at
// the same moment) and turns the reply into the name-keyed model, its facts and the row uuids (pure).
import { compareStrings, sortedRecord } from '../util/order.js';
import type { OvsdbClient } from './client.js';
import { type OvsdbRow, optionalAtom, uuidOf, uuidSet } from './datum.js';
import type { OvsdbOperation, OvsdbOperationResult } from './operations.js';
import {
  BRIDGE_COLUMNS,
  columnNames,
  decodeColumns,
  INTERFACE_COLUMNS,
  PORT_COLUMNS,
} from './vswitch-columns.js';
import type {
  VswitchBridge,
  VswitchInterface,
  VswitchInterfaceFacts,
  VswitchPort,
  VswitchSnapshot,
} from './vswitch-model.js';

export const VSWITCH_DB = 'Open_vSwitch';

const INTERFACE_FACT_COLUMNS = ['ofport', 'link_state', 'admin_state', 'mac_in_use', 'mtu', 'error'];

/** The selects of one read, in the order vswitchFromSelectReply expects their results. */
export const VSWITCH_SELECTS: readonly OvsdbOperation[] = [
  {
    op: 'select',
    table: 'Open_vSwitch',
    where: [],
    columns: ['bridges', 'ovs_version', 'db_version', 'system_type', 'system_version'],
  },
  {
    op: 'select',
    table: 'Bridge',
    where: [],
    columns: ['_uuid', 'name', 'ports', 'controller', ...columnNames(BRIDGE_COLUMNS)],
  },
  {
    op: 'select',
    table: 'Port',
    where: [],
    columns: ['_uuid', 'name', 'interfaces', ...columnNames(PORT_COLUMNS)],
  },
  {
    op: 'select',
    table: 'Interface',
    where: [],
    columns: ['_uuid', 'name', ...columnNames(INTERFACE_COLUMNS), ...INTERFACE_FACT_COLUMNS],
  },
  { op: 'select', table: 'Controller', where: [], columns: ['_uuid', 'target'] },
];

export async function readVswitch(client: OvsdbClient): Promise<VswitchSnapshot> {
  return vswitchFromSelectReply(await client.transact(VSWITCH_DB, VSWITCH_SELECTS));
}

const rowsOf = (result: OvsdbOperationResult | undefined): OvsdbRow[] => result?.rows ?? [];

function byUuid(rows: readonly OvsdbRow[]): Map<string, OvsdbRow> {
  return new Map(rows.flatMap((row) => (uuidOf(row._uuid) ? [[uuidOf(row._uuid) as string, row]] : [])));
}

function optionalText(datum: unknown): string | null {
  const atom = optionalAtom(datum);
  return typeof atom === 'string' ? atom : null;
}

function optionalNumber(datum: unknown): number | null {
  const atom = optionalAtom(datum);
  return typeof atom === 'number' ? atom : null;
}

/** Rows sorted by name, so that a row referenced twice is always placed under the same parent. */
const byName = (a: OvsdbRow, b: OvsdbRow) => compareStrings(String(a.name), String(b.name));

/** The tables of one reply, and what has been placed so far. */
class SnapshotReader {
  readonly problems: string[] = [];
  readonly rows: VswitchSnapshot['rows'] = { bridges: {}, ports: {}, interfaces: {}, controllers: {} };
  readonly interfaceFacts: [string, VswitchInterfaceFacts][] = [];
  private readonly owners = new Map<string, string>();

  constructor(
    private readonly ports: Map<string, OvsdbRow>,
    private readonly interfaces: Map<string, OvsdbRow>,
    private readonly controllers: Map<string, OvsdbRow>,
  ) {}

  bridge(row: OvsdbRow): [string, VswitchBridge] {
    const name = String(row.name);
    this.rows.bridges[name] = uuidOf(row._uuid) ?? '';
    const targets = new Map<string, string>();
    for (const uuid of uuidSet(row.controller)) {
      const target = String(this.controllers.get(uuid)?.target ?? '');
      if (targets.has(target))
        this.problems.push(`bridge ${name} has controller ${target} twice; listed once`);
      else targets.set(target, uuid);
    }
    this.rows.controllers[name] = sortedRecord(targets);
    const ports = this.children(row.ports, this.ports).flatMap((port) => this.port(name, port));
    return [
      name,
      {
        ...decodeColumns(BRIDGE_COLUMNS, row),
        controllers: [...targets.keys()].sort(compareStrings),
        ports: sortedRecord(ports),
      },
    ];
  }

  private port(bridge: string, row: OvsdbRow): [string, VswitchPort][] {
    const name = String(row.name);
    if (!this.claim(row, `port ${name}`, `bridge ${bridge}`)) return [];
    this.rows.ports[name] = uuidOf(row._uuid) ?? '';
    const interfaces = this.children(row.interfaces, this.interfaces).flatMap((iface) =>
      this.iface(bridge, name, iface),
    );
    return [[name, { ...decodeColumns(PORT_COLUMNS, row), interfaces: sortedRecord(interfaces) }]];
  }

  private iface(bridge: string, port: string, row: OvsdbRow): [string, VswitchInterface][] {
    const name = String(row.name);
    if (!this.claim(row, `interface ${name}`, `port ${port}`)) return [];
    this.rows.interfaces[name] = uuidOf(row._uuid) ?? '';
    this.interfaceFacts.push([
      name,
      {
        bridge,
        port,
        ofport: optionalNumber(row.ofport),
        linkState: optionalText(row.link_state),
        adminState: optionalText(row.admin_state),
        macInUse: optionalText(row.mac_in_use),
        mtu: optionalNumber(row.mtu),
        error: optionalText(row.error),
      },
    ]);
    return [[name, decodeColumns(INTERFACE_COLUMNS, row)]];
  }

  private children(references: unknown, table: Map<string, OvsdbRow>): OvsdbRow[] {
    return uuidSet(references)
      .map((uuid) => table.get(uuid))
      .filter((row): row is OvsdbRow => row !== undefined)
      .sort(byName);
  }

  /** OVSDB lets two parents refer to one row; the model keeps it under the first and says so. */
  private claim(row: OvsdbRow, what: string, owner: string): boolean {
    const uuid = uuidOf(row._uuid) ?? '';
    const first = this.owners.get(uuid);
    if (first === undefined) {
      this.owners.set(uuid, owner);
      return true;
    }
    this.problems.push(`${what} is in ${first} and in ${owner}; listed under ${first} only`);
    return false;
  }
}

/** The model of a VSWITCH_SELECTS reply (pure). */
export function vswitchFromSelectReply(results: readonly OvsdbOperationResult[]): VswitchSnapshot {
  const [root, bridges, ports, interfaces, controllers] = results;
  const rootRow = rowsOf(root)[0] ?? {};
  const reader = new SnapshotReader(
    byUuid(rowsOf(ports)),
    byUuid(rowsOf(interfaces)),
    byUuid(rowsOf(controllers)),
  );
  // ovs-vswitchd runs the bridges the root row lists; another row referring to a bridge keeps it in the table.
  const inUse = new Set(uuidSet(rootRow.bridges));
  const isInUse = (row: OvsdbRow) => inUse.has(uuidOf(row._uuid) ?? '');
  const bridgeRows = [...rowsOf(bridges)].sort(byName);
  for (const row of bridgeRows.filter((row) => !isInUse(row)))
    reader.problems.push(
      `bridge ${String(row.name)} is not in Open_vSwitch.bridges (another row keeps it): ovs-vswitchd ignores it, and its name is taken`,
    );
  const config = { bridges: sortedRecord(bridgeRows.filter(isInUse).map((row) => reader.bridge(row))) };
  return {
    config,
    facts: {
      ovsVersion: optionalText(rootRow.ovs_version),
      dbVersion: optionalText(rootRow.db_version),
      systemType: optionalText(rootRow.system_type),
      systemVersion: optionalText(rootRow.system_version),
      interfaces: sortedRecord(reader.interfaceFacts),
      problems: reader.problems,
    },
    rows: reader.rows,
  };
}
