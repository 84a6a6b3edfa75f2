// The ovs section as Ansible tasks with the openvswitch.openvswitch collection Debian's ansible ships:
// openvswitch_bridge and openvswitch_port/openvswitch_bond create bridges and ports (with the interfaces'
// type and options set in the same ovs-vsctl call), openvswitch_db converges every other column and map key
// of rows that already exist. Set columns and controllers, which the modules cannot compare, are set by a
// command that compares ovs-vsctl's own spelling first, so a second run reports nothing changed. Nothing the
// capture lacks is removed: the play converges what it lists.
import type { AnsibleContribution, AnsibleStep, AnsibleTask } from '../../export/ansible/contribution.js';
import type { NotExported } from '../../export/nix/contribution.js';
import type { VswitchBridge, VswitchInterface, VswitchPort } from '../../ovsdb/vswitch-model.js';
import { toDisplayPath } from '../../state/json-path.js';
import { isSafeWord, mapEntryProblem, UNSAFE_WORD } from './ovs-vsctl-words.js';
import type { OvsConfig } from './schema.js';

const COLLECTION = 'openvswitch.openvswitch';
const NOT_ADDABLE =
  'ovs-vsctl add-port makes one interface named like the port; this port has one named otherwise';

type Path = (string | number)[];

/** Registered by the compare-then-set commands; "changed" on stdout is their only way of saying so. */
const OUTCOME = 'opdbus_ovs_outcome';
/** ovs-vsctl set of a whole column unless `get` already prints the wanted value: $1 table, $2 record, $3 column, $4 value. */
const SET_COLUMN_UNLESS_EQUAL =
  '[ "$(ovs-vsctl get "$1" "$2" "$3")" = "$4" ] || { ovs-vsctl set "$1" "$2" "$3=$4" && echo changed; }';
/** set-controller unless get-controller already prints the targets: $1 bridge, $2 its lines, then the targets. */
const SET_CONTROLLERS_UNLESS_EQUAL =
  'bridge=$1 want=$2; shift 2; [ "$(ovs-vsctl get-controller "$bridge")" = "$want" ] || { ovs-vsctl set-controller "$bridge" "$@" && echo changed; }';

/** A set as ovs-vsctl get prints it (sorted, as the model keeps it; these members never need quoting). */
const vsctlSet = (members: readonly (string | number)[]) => `[${members.join(', ')}]`;

function compareThenSet(name: string, script: string, args: readonly string[]): AnsibleTask {
  return {
    name,
    'ansible.builtin.command': { argv: ['sh', '-c', script, 'sh', ...args] },
    register: OUTCOME,
    changed_when: `${OUTCOME}.stdout == "changed"`,
  };
}

class VswitchAnsibleExport {
  readonly tasks: AnsibleTask[] = [];
  readonly unsupported: NotExported[] = [];

  bridge(name: string, bridge: VswitchBridge): void {
    const path: Path = ['sections', 'ovs', 'config', 'bridges', name];
    if (!isSafeWord(name)) {
      this.skip(path, UNSAFE_WORD);
      return;
    }
    this.tasks.push({
      name: `OVS bridge ${name}`,
      [`${COLLECTION}.openvswitch_bridge`]: {
        bridge: name,
        state: 'present',
        ...(bridge.failMode ? { fail_mode: bridge.failMode } : {}),
        // Made with its datapath, so ovs-vswitchd never tries the default one first.
        ...(bridge.datapathType !== '' ? { set: `Bridge ${name} datapath_type=${bridge.datapathType}` } : {}),
      },
    });
    const record = (column: string, value: string) => this.column('Bridge', name, column, value);
    if (bridge.datapathType !== '') record('datapath_type', bridge.datapathType);
    if (bridge.protocols.length > 0) this.setColumn('Bridge', name, 'protocols', vsctlSet(bridge.protocols));
    if (bridge.stpEnable) record('stp_enable', 'true');
    if (bridge.rstpEnable) record('rstp_enable', 'true');
    if (bridge.mcastSnoopingEnable) record('mcast_snooping_enable', 'true');
    this.mapColumn('Bridge', name, 'other_config', bridge.otherConfig, [...path, 'otherConfig']);
    this.mapColumn('Bridge', name, 'external_ids', bridge.externalIds, [...path, 'externalIds']);
    this.controllers(name, bridge.controllers, [...path, 'controllers']);
    for (const [portName, port] of Object.entries(bridge.ports))
      this.port(name, portName, port, [...path, 'ports', portName]);
  }

  /** No module sets controllers: ovs-vsctl set-controller replaces them all (targets sorted, as get-controller prints them). */
  private controllers(bridge: string, targets: readonly string[], path: Path): void {
    if (targets.length === 0) return;
    if (!targets.every(isSafeWord)) {
      this.skip(path, UNSAFE_WORD);
      return;
    }
    const args = [bridge, targets.join('\n'), ...targets];
    this.tasks.push(compareThenSet(`OVS controllers of ${bridge}`, SET_CONTROLLERS_UNLESS_EQUAL, args));
  }

  /** A whole set column, which openvswitch_db would compare in another spelling than ovs-vsctl prints. */
  private setColumn(table: string, record: string, column: string, value: string): void {
    const name = `OVS ${table} ${record} ${column}`;
    this.tasks.push(compareThenSet(name, SET_COLUMN_UNLESS_EQUAL, [table, record, column, value]));
  }

  private port(bridge: string, name: string, port: VswitchPort, path: Path): void {
    const members = Object.keys(port.interfaces);
    const ordinary = name !== bridge && members.length === 1;
    const problem = ![name, ...members].every(isSafeWord)
      ? UNSAFE_WORD
      : ordinary && members[0] !== name
        ? NOT_ADDABLE
        : undefined;
    if (problem) {
      this.skip(path, problem);
      return;
    }
    if (name !== bridge)
      this.tasks.push(ordinary ? this.portTask(bridge, name, port) : this.bondTask(bridge, name, port));
    const record = (column: string, value: string) => this.column('Port', name, column, value);
    // An ordinary port's tag is the port module's; a bond's and the bridge's own port's are set here.
    if (port.tag !== null && !ordinary) record('tag', String(port.tag));
    if (port.trunks.length > 0) this.setColumn('Port', name, 'trunks', vsctlSet(port.trunks));
    if (port.vlanMode !== null) record('vlan_mode', port.vlanMode);
    if (port.bondMode !== null) record('bond_mode', port.bondMode);
    if (port.lacp !== null) record('lacp', port.lacp);
    this.mapColumn('Port', name, 'other_config', port.otherConfig, [...path, 'otherConfig']);
    this.mapColumn('Port', name, 'external_ids', port.externalIds, [...path, 'externalIds']);
    // The bridge's own interface is made internal by add-br.
    const madeType = name === bridge ? 'internal' : '';
    for (const [interfaceName, iface] of Object.entries(port.interfaces))
      this.iface(interfaceName, iface, madeType, [...path, 'interfaces', interfaceName]);
  }

  /** add-port with the interface's type and options set in the same call, as the module's `set` allows. */
  private portTask(bridge: string, name: string, port: VswitchPort): AnsibleTask {
    const iface = port.interfaces[name] as VswitchInterface;
    const settings = [
      ...(iface.type !== '' ? [`type=${iface.type}`] : []),
      ...Object.entries(iface.options)
        .filter(([key, value]) => mapEntryProblem(key, value) === undefined)
        .map(([key, value]) => `options:${key}=${value}`),
    ];
    return {
      name: `OVS port ${bridge}/${name}`,
      [`${COLLECTION}.openvswitch_port`]: {
        bridge,
        port: name,
        state: 'present',
        ...(port.tag !== null ? { tag: String(port.tag) } : {}),
        ...(settings.length > 0 ? { set: [`Interface ${name} ${settings.join(' ')}`] } : {}),
      },
    };
  }

  private bondTask(bridge: string, name: string, port: VswitchPort): AnsibleTask {
    return {
      name: `OVS bond ${bridge}/${name}`,
      [`${COLLECTION}.openvswitch_bond`]: {
        bridge,
        port: name,
        interfaces: Object.keys(port.interfaces),
        state: 'present',
        ...(port.bondMode !== null ? { bond_mode: port.bondMode } : {}),
        ...(port.lacp !== null ? { lacp: port.lacp } : {}),
      },
    };
  }

  private iface(name: string, iface: VswitchInterface, madeType: string, path: Path): void {
    if (iface.type !== madeType) {
      if (iface.type === '') this.skip([...path, 'type'], UNSAFE_WORD);
      else this.column('Interface', name, 'type', iface.type);
    }
    if (iface.mtuRequest !== null) this.column('Interface', name, 'mtu_request', String(iface.mtuRequest));
    this.mapColumn('Interface', name, 'options', iface.options, [...path, 'options']);
    this.mapColumn('Interface', name, 'external_ids', iface.externalIds, [...path, 'externalIds']);
  }

  private column(table: string, record: string, column: string, value: string, key?: string): void {
    this.tasks.push({
      name: `OVS ${table} ${record} ${column}${key === undefined ? '' : `:${key}`}`,
      [`${COLLECTION}.openvswitch_db`]: {
        table,
        record,
        col: column,
        ...(key === undefined ? {} : { key }),
        value,
      },
    });
  }

  private mapColumn(
    table: string,
    record: string,
    column: string,
    map: Record<string, string>,
    path: Path,
  ): void {
    for (const [key, value] of Object.entries(map)) {
      const problem = mapEntryProblem(key, value);
      if (problem) this.skip([...path, key], problem);
      else this.column(table, record, column, value, key);
    }
  }

  private skip(path: Path, reason: string): void {
    this.unsupported.push({ item: toDisplayPath(path), reason });
  }
}

export function ovsToAnsible(config: OvsConfig): AnsibleContribution {
  const exported = new VswitchAnsibleExport();
  for (const [name, bridge] of Object.entries(config.bridges)) exported.bridge(name, bridge);
  // After the systemd section's tasks, which enable and start openvswitch-switch.
  const tasks: AnsibleStep[] = exported.tasks.map((task) => ({ phase: 'enablement', task }));
  return { tasks, handlers: [], unsupported: exported.unsupported };
}
