// The ovs section as NixOS options (nixos/modules/tasks/network-interfaces.nix): networking.vswitches.<bridge>
// with `interfaces.<port>.{vlan,type}`, `controllers`, `supportedOpenFlowVersions`, `openFlowVersion`, and
// every other setting as an `extraOvsctlCmds` line. NixOS splices names and those lines into its setup script
// unquoted, so a name or value a shell or ovs-vsctl would misread is listed as not exported instead.
import { isDeepStrictEqual } from 'node:util';
import type { NixContribution, NixOption, NotExported } from '../../export/nix/contribution.js';
import {
  emptyPort,
  LOCAL_INTERFACE,
  type VswitchBridge,
  type VswitchInterface,
  type VswitchPort,
} from '../../ovsdb/vswitch-model.js';
import { toDisplayPath } from '../../state/json-path.js';
import { isSafeWord, mapEntryProblem, UNSAFE_WORD } from './ovs-vsctl-words.js';
import type { OvsConfig } from './schema.js';

const ALL_OPENFLOW_VERSIONS = [
  'OpenFlow10',
  'OpenFlow11',
  'OpenFlow12',
  'OpenFlow13',
  'OpenFlow14',
  'OpenFlow15',
];
/** The version NixOS loads openFlowRules with unless told otherwise; the bridge must speak it. */
const NIXOS_OPENFLOW_VERSION = 'OpenFlow13';
const FLAG_COLUMNS = [
  ['stpEnable', 'stp_enable'],
  ['rstpEnable', 'rstp_enable'],
  ['mcastSnoopingEnable', 'mcast_snooping_enable'],
] as const;
const PORT_ENUM_COLUMNS = [
  ['vlanMode', 'vlan_mode'],
  ['bondMode', 'bond_mode'],
  ['lacp', 'lacp'],
] as const;

const NOT_ADDABLE =
  'ovs-vsctl add-port makes one interface named like the port; this port has one named otherwise';

type Path = (string | number)[];
type NixInterface = { vlan?: number; type?: string };

/** A system interface as `add-port`/`add-bond` makes it. */
const SYSTEM_INTERFACE: VswitchInterface = { ...LOCAL_INTERFACE, type: '' };

class VswitchNixExport {
  readonly options: NixOption[] = [];
  readonly unmapped: NotExported[] = [];
  /** extraOvsctlCmds of the bridge being exported. */
  private commands: string[] = [];

  bridge(name: string, bridge: VswitchBridge): void {
    const path: Path = ['sections', 'ovs', 'config', 'bridges', name];
    if (!isSafeWord(name)) {
      this.skip(path, UNSAFE_WORD);
      return;
    }
    this.commands = [];
    if (bridge.datapathType !== '')
      this.commands.push(`set Bridge ${name} datapath_type=${bridge.datapathType}`);
    if (bridge.failMode) this.commands.push(`set-fail-mode ${name} ${bridge.failMode}`);
    for (const [flag, column] of FLAG_COLUMNS)
      if (bridge[flag]) this.commands.push(`set Bridge ${name} ${column}=true`);
    this.mapCommands(['Bridge', name, 'other_config'], bridge.otherConfig, [...path, 'otherConfig']);
    this.mapCommands(['Bridge', name, 'external_ids'], bridge.externalIds, [...path, 'externalIds']);
    const controllers = this.controllers(name, bridge.controllers, [...path, 'controllers']);
    const interfaces: Record<string, NixInterface> = {};
    for (const [portName, port] of Object.entries(bridge.ports)) {
      const portPath = [...path, 'ports', portName];
      if (!isSafeWord(portName)) this.skip(portPath, UNSAFE_WORD);
      else if (portName === name)
        this.portCommands(portName, port, emptyPort({ [name]: LOCAL_INTERFACE }), portPath);
      else this.port(name, portName, port, portPath, interfaces);
    }
    const vswitch = ['networking', 'vswitches', name];
    this.options.push({ path: [...vswitch, 'interfaces'], value: interfaces });
    if (controllers.length > 0) this.options.push({ path: [...vswitch, 'controllers'], value: controllers });
    this.protocols(vswitch, bridge.protocols);
    if (this.commands.length > 0)
      this.options.push({ path: [...vswitch, 'extraOvsctlCmds'], value: this.commands.join('\n') });
  }

  /** NixOS runs one `set-controller` per entry, each replacing the one before: several go in one command. */
  private controllers(bridge: string, targets: readonly string[], path: Path): string[] {
    const safe: string[] = [];
    targets.forEach((target, index) => {
      if (isSafeWord(target)) safe.push(target);
      else this.skip([...path, index], UNSAFE_WORD);
    });
    if (safe.length <= 1) return safe;
    this.commands.push(`set-controller ${bridge} ${safe.join(' ')}`);
    return [];
  }

  /** NixOS always sets `protocols`, and ovs-vsctl refuses an empty list: OVS's default (all six) is written out. */
  private protocols(vswitch: string[], protocols: readonly string[]): void {
    const versions = protocols.length > 0 ? [...protocols] : ALL_OPENFLOW_VERSIONS;
    this.options.push({
      path: [...vswitch, 'supportedOpenFlowVersions'],
      value: versions,
      ...(protocols.length === 0
        ? { comment: 'the capture leaves protocols empty, which enables all six' }
        : {}),
    });
    if (!versions.includes(NIXOS_OPENFLOW_VERSION))
      this.options.push({
        path: [...vswitch, 'openFlowVersion'],
        value: versions[versions.length - 1] as string,
      });
  }

  /** A port of one same-named interface is a NixOS interface; a bond is an add-bond command. */
  private port(
    bridge: string,
    name: string,
    port: VswitchPort,
    path: Path,
    interfaces: Record<string, NixInterface>,
  ): void {
    const members = Object.keys(port.interfaces);
    const own = port.interfaces[name];
    if (members.length === 1 && own) {
      interfaces[name] = {
        ...(port.tag !== null ? { vlan: port.tag } : {}),
        ...(own.type !== '' ? { type: own.type } : {}),
      };
      const made = { ...emptyPort({ [name]: { ...SYSTEM_INTERFACE, type: own.type } }), tag: port.tag };
      this.portCommands(name, port, made, path);
      return;
    }
    const problem = members.length < 2 ? NOT_ADDABLE : members.every(isSafeWord) ? undefined : UNSAFE_WORD;
    if (problem) {
      this.skip(path, problem);
      return;
    }
    this.commands.push(`add-bond ${bridge} ${name} ${members.join(' ')}`);
    const made = emptyPort(Object.fromEntries(members.map((member) => [member, SYSTEM_INTERFACE])));
    this.portCommands(name, port, made, path);
  }

  /** `set` commands for what `port` has beyond `made`, the port as the earlier commands leave it. */
  private portCommands(name: string, port: VswitchPort, made: VswitchPort, path: Path): void {
    if (port.tag !== null && port.tag !== made.tag) this.commands.push(`set Port ${name} tag=${port.tag}`);
    if (port.trunks.length > 0) this.commands.push(`set Port ${name} trunks=${port.trunks.join(',')}`);
    for (const [setting, column] of PORT_ENUM_COLUMNS)
      if (port[setting] !== null) this.commands.push(`set Port ${name} ${column}=${port[setting]}`);
    this.mapCommands(['Port', name, 'other_config'], port.otherConfig, [...path, 'otherConfig']);
    this.mapCommands(['Port', name, 'external_ids'], port.externalIds, [...path, 'externalIds']);
    for (const [interfaceName, iface] of Object.entries(port.interfaces)) {
      const before = made.interfaces[interfaceName] ?? SYSTEM_INTERFACE;
      if (!isDeepStrictEqual(iface, before))
        this.interfaceCommands(interfaceName, iface, before, [...path, 'interfaces', interfaceName]);
    }
  }

  private interfaceCommands(name: string, iface: VswitchInterface, made: VswitchInterface, path: Path): void {
    if (iface.type !== made.type) {
      // An empty word would vanish in the shell: ovs-vsctl would see `type=` and refuse it.
      if (iface.type === '') this.skip([...path, 'type'], UNSAFE_WORD);
      else this.commands.push(`set Interface ${name} type=${iface.type}`);
    }
    if (iface.mtuRequest !== null)
      this.commands.push(`set Interface ${name} mtu_request=${iface.mtuRequest}`);
    this.mapCommands(['Interface', name, 'options'], iface.options, [...path, 'options']);
    this.mapCommands(['Interface', name, 'external_ids'], iface.externalIds, [...path, 'externalIds']);
  }

  private mapCommands(
    [table, record, column]: [string, string, string],
    map: Record<string, string>,
    path: Path,
  ): void {
    for (const [key, value] of Object.entries(map)) {
      const problem = mapEntryProblem(key, value);
      if (problem) this.skip([...path, key], problem);
      else this.commands.push(`set ${table} ${record} ${column}:${key}=${value}`);
    }
  }

  private skip(path: Path, reason: string): void {
    this.unmapped.push({ item: toDisplayPath(path), reason });
  }
}

export function ovsToNix(config: OvsConfig): NixContribution {
  const exported = new VswitchNixExport();
  for (const [name, bridge] of Object.entries(config.bridges)) exported.bridge(name, bridge);
  return { options: exported.options, unmapped: exported.unmapped };
}
