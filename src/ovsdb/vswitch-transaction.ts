// The operations of ONE transaction that turn the live switch into a desired configuration (pure): OVSDB then
// applies all of them or none. New rows are inserted with named uuids and referenced from their parents in the
// same transaction; deleted bridges, ports and interfaces are only unreferenced, because the server garbage-
// collects rows of non-root tables (Bridge, Port, Interface, Controller) that nothing refers to any more.
// Every existing row the operations refer to is restated first as a guard (it still exists, so named), so a
// transaction built from a read another client has since outdated fails instead of quietly missing a row.
import { namedUuid, type OvsdbNamedUuid, type OvsdbRow, type OvsdbUuid, uuid } from './datum.js';
import { rowStillHas, rowStillNamed } from './guards.js';
import type { OvsdbMutation, OvsdbOperation } from './operations.js';
import { BRIDGE_COLUMNS, encodeColumns, INTERFACE_COLUMNS, PORT_COLUMNS } from './vswitch-columns.js';
import {
  diffVswitch,
  type SettingChange,
  type VswitchDifference,
  type VswitchItemKind,
} from './vswitch-diff.js';
import {
  normalizedVswitch,
  type VswitchBridge,
  type VswitchConfig,
  type VswitchInterface,
  type VswitchPort,
  type VswitchRowIds,
  type VswitchSnapshot,
} from './vswitch-model.js';
import { VSWITCH_DB } from './vswitch-read.js';

type RowReference = OvsdbUuid | OvsdbNamedUuid;

const referenceSet = (references: readonly RowReference[]) =>
  ['set', [...references]] as ['set', RowReference[]];

/** Operations in the order they are added, with fresh names for inserted rows. */
export class VswitchOperationList {
  readonly operations: OvsdbOperation[] = [];
  private inserted = 0;

  /** A bridge with its ports, their interfaces and its controllers, referenced from the root row (add-br). */
  createBridge(name: string, bridge: VswitchBridge): void {
    const ports = Object.entries(bridge.ports).map(([port, config]) => this.insertPort(port, config));
    const controllers = bridge.controllers.map((target) => this.insert('Controller', { target }));
    const row = { name, ...encodeColumns(BRIDGE_COLUMNS, bridge), ports: referenceSet(ports) };
    const created = this.insert('Bridge', { ...row, controller: referenceSet(controllers) });
    this.mutateRoot('insert', created);
  }

  deleteBridge(bridgeUuid: string): void {
    this.mutateRoot('delete', uuid(bridgeUuid));
  }

  addPort(bridgeUuid: string, name: string, port: VswitchPort): void {
    this.mutate('Bridge', bridgeUuid, ['ports', 'insert', this.insertPort(name, port)]);
  }

  deletePort(bridgeUuid: string, portUuid: string): void {
    this.mutate('Bridge', bridgeUuid, ['ports', 'delete', uuid(portUuid)]);
  }

  addInterface(portUuid: string, name: string, iface: VswitchInterface): void {
    this.mutate('Port', portUuid, ['interfaces', 'insert', this.insertInterface(name, iface)]);
  }

  deleteInterface(portUuid: string, interfaceUuid: string): void {
    this.mutate('Port', portUuid, ['interfaces', 'delete', uuid(interfaceUuid)]);
  }

  /** Sets the bridge's controllers to `targets`, keeping the rows `existing` finds for targets it already has. */
  setControllers(
    bridgeUuid: string,
    targets: readonly string[],
    existing: (target: string) => string | undefined,
  ): void {
    const controllers = targets.map((target) => {
      const row = existing(target);
      return row ? uuid(row) : this.insert('Controller', { target });
    });
    this.update('Bridge', bridgeUuid, { controller: referenceSet(controllers) });
  }

  update(table: string, rowUuid: string, row: OvsdbRow): void {
    if (Object.keys(row).length === 0) return;
    this.operations.push({ op: 'update', table, where: [['_uuid', '==', uuid(rowUuid)]], row });
  }

  comment(text: string): void {
    this.operations.push({ op: 'comment', comment: text });
  }

  private insertPort(name: string, port: VswitchPort): OvsdbNamedUuid {
    const interfaces = Object.entries(port.interfaces).map(([iface, config]) =>
      this.insertInterface(iface, config),
    );
    return this.insert('Port', {
      name,
      ...encodeColumns(PORT_COLUMNS, port),
      interfaces: referenceSet(interfaces),
    });
  }

  private insertInterface(name: string, iface: VswitchInterface): OvsdbNamedUuid {
    return this.insert('Interface', { name, ...encodeColumns(INTERFACE_COLUMNS, iface) });
  }

  private insert(table: string, row: OvsdbRow): OvsdbNamedUuid {
    const label = `new_${table.toLowerCase()}_${++this.inserted}`;
    this.operations.push({ op: 'insert', table, row, 'uuid-name': label });
    return namedUuid(label);
  }

  private mutate(table: string, rowUuid: string, mutation: OvsdbMutation): void {
    this.operations.push({
      op: 'mutate',
      table,
      where: [['_uuid', '==', uuid(rowUuid)]],
      mutations: [mutation],
    });
  }

  private mutateRoot(mutator: 'insert' | 'delete', bridge: RowReference): void {
    this.operations.push({
      op: 'mutate',
      table: VSWITCH_DB,
      where: [],
      mutations: [['bridges', mutator, bridge]],
    });
  }
}

function changedSettings(settings: readonly SettingChange[]): Record<string, unknown> {
  return Object.fromEntries(settings.map((change) => [change.setting, change.after]));
}

/** Row uuids of the live switch by name; each one handed out is also restated as a guard, once. */
class ReferencedRows {
  readonly guards: OvsdbOperation[] = [];
  private readonly guarded = new Set<string>();

  constructor(private readonly rows: VswitchRowIds) {}

  bridge = (name: string) => this.use('Bridge', this.rows.bridges, name, 'bridge');
  port = (name: string) => this.use('Port', this.rows.ports, name, 'port');
  interface = (name: string) => this.use('Interface', this.rows.interfaces, name, 'interface');

  /** The bridge's Controller row for `target`, if it has one (guarded: it still exists with that target). */
  controller = (bridge: string, target: string): string | undefined => {
    const id = this.rows.controllers[bridge]?.[target];
    if (id) this.guard(id, () => rowStillHas('Controller', id, 'target', target));
    return id;
  };

  private use(table: string, ids: Record<string, string>, name: string, what: string): string {
    const id = ids[name];
    if (!id) throw new Error(`the live switch has no ${what} ${name}`);
    this.guard(id, () => rowStillNamed(table, id, name));
    return id;
  }

  private guard(id: string, operation: () => OvsdbOperation): void {
    if (this.guarded.has(id)) return;
    this.guarded.add(id);
    this.guards.push(operation());
  }
}

/** Adds the operations of one difference; rows that exist are found by name among the live row uuids. */
function addDifference(
  list: VswitchOperationList,
  difference: VswitchDifference,
  referenced: ReferencedRows,
  desired: VswitchConfig,
): void {
  const [bridgeName = '', portName = '', interfaceName = ''] = difference.path;
  const bridgeId = () => referenced.bridge(bridgeName);
  const portId = () => referenced.port(portName);
  const interfaceId = () => referenced.interface(interfaceName);
  const bridge = desired.bridges[bridgeName] as VswitchBridge;
  const port = bridge?.ports[portName] as VswitchPort;
  switch (`${difference.action} ${difference.kind}`) {
    case 'create bridge':
      list.createBridge(bridgeName, bridge);
      break;
    case 'delete bridge':
      list.deleteBridge(bridgeId());
      break;
    case 'create port':
      list.addPort(bridgeId(), portName, port);
      break;
    case 'delete port':
      list.deletePort(bridgeId(), portId());
      break;
    case 'create interface':
      list.addInterface(portId(), interfaceName, port.interfaces[interfaceName] as VswitchInterface);
      break;
    case 'delete interface':
      list.deleteInterface(portId(), interfaceId());
      break;
    default:
      if (difference.action === 'update')
        updateItem(list, difference.kind, difference.settings, referenced, difference.path);
  }
}

function updateItem(
  list: VswitchOperationList,
  kind: VswitchItemKind,
  changes: readonly SettingChange[],
  referenced: ReferencedRows,
  [bridgeName = '', portName = '', interfaceName = '']: readonly string[],
): void {
  const settings = changedSettings(changes);
  if (kind === 'bridge') {
    const { controllers, ...columns } = settings;
    const bridgeId = referenced.bridge(bridgeName);
    if (controllers)
      list.setControllers(bridgeId, controllers as string[], (target) =>
        referenced.controller(bridgeName, target),
      );
    list.update('Bridge', bridgeId, encodeColumns(BRIDGE_COLUMNS, columns));
  } else if (kind === 'port')
    list.update('Port', referenced.port(portName), encodeColumns(PORT_COLUMNS, settings));
  else
    list.update('Interface', referenced.interface(interfaceName), encodeColumns(INTERFACE_COLUMNS, settings));
}

export interface VswitchTransaction {
  /** To go first: the live rows `operations` refer to still exist as read (bridges, ports, interfaces by name, controllers by target). */
  guards: OvsdbOperation[];
  operations: OvsdbOperation[];
}

/**
 * The operations that make `live` match `desired`, or none when it already does. `desired` is taken as
 * complete — whatever the live switch has beyond it is removed — except that a bridge keeps its own port
 * when `desired` leaves it out (see normalizedVswitch).
 */
export function vswitchOperations(
  live: VswitchSnapshot,
  desired: VswitchConfig,
  comment?: string,
): VswitchTransaction {
  const wanted = normalizedVswitch(desired);
  const list = new VswitchOperationList();
  const referenced = new ReferencedRows(live.rows);
  for (const difference of diffVswitch(live.config, wanted))
    addDifference(list, difference, referenced, wanted);
  if (list.operations.length > 0 && comment) list.comment(comment);
  return { guards: referenced.guards, operations: list.operations };
}
