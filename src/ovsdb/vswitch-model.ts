// Open vSwitch's configuration as op-dbus models it: bridges, their ports and the ports' interfaces, each keyed
// by name (OVSDB indexes all three by name), without row uuids or anything the switch fills in itself.
import { sortedRecord } from '../util/order.js';

export const VLAN_MODES = ['trunk', 'access', 'native-tagged', 'native-untagged', 'dot1q-tunnel'] as const;
export const BOND_MODES = ['balance-tcp', 'balance-slb', 'active-backup'] as const;
export const LACP_MODES = ['active', 'passive', 'off'] as const;
export const FAIL_MODES = ['standalone', 'secure'] as const;

export type VlanMode = (typeof VLAN_MODES)[number];
export type BondMode = (typeof BOND_MODES)[number];
export type LacpMode = (typeof LACP_MODES)[number];
export type FailMode = (typeof FAIL_MODES)[number];

export type StringMap = Record<string, string>;

export interface VswitchInterface {
  /** '' is a system network device; internal, patch, vxlan, gre, geneve … are devices OVS makes. */
  type: string;
  options: StringMap;
  externalIds: StringMap;
  mtuRequest: number | null;
}

export interface VswitchPort {
  tag: number | null;
  trunks: number[];
  vlanMode: VlanMode | null;
  bondMode: BondMode | null;
  lacp: LacpMode | null;
  otherConfig: StringMap;
  externalIds: StringMap;
  interfaces: Record<string, VswitchInterface>;
}

export interface VswitchBridge {
  datapathType: string;
  failMode: FailMode | null;
  /** Controller targets (`tcp:IP:PORT`, `ptcp:PORT`, `unix:PATH` …), sorted. */
  controllers: string[];
  /** OpenFlow versions enabled (OpenFlow10 …), sorted; empty means OVS's default set. */
  protocols: string[];
  stpEnable: boolean;
  rstpEnable: boolean;
  mcastSnoopingEnable: boolean;
  otherConfig: StringMap;
  externalIds: StringMap;
  ports: Record<string, VswitchPort>;
}

export interface VswitchConfig {
  bridges: Record<string, VswitchBridge>;
}

export interface VswitchInterfaceFacts {
  bridge: string;
  port: string;
  /** OpenFlow port number; -1 when the interface could not be added; null before ovs-vswitchd saw it. */
  ofport: number | null;
  linkState: string | null;
  adminState: string | null;
  macInUse: string | null;
  mtu: number | null;
  /** Why ovs-vswitchd could not set the interface up (e.g. no such device). */
  error: string | null;
}

export interface VswitchFacts {
  /** Versions ovs-vswitchd and the startup scripts record; null when nothing has recorded them. */
  ovsVersion: string | null;
  dbVersion: string | null;
  systemType: string | null;
  systemVersion: string | null;
  interfaces: Record<string, VswitchInterfaceFacts>;
  /** Rows op-dbus could not place in the model (a port on two bridges …), one line each. */
  problems: string[];
}

/** Row uuids of the live database, by name: what operations on existing rows refer to. */
export interface VswitchRowIds {
  bridges: Record<string, string>;
  ports: Record<string, string>;
  interfaces: Record<string, string>;
  /** Per bridge, per target: the Controller row. */
  controllers: Record<string, Record<string, string>>;
}

export interface VswitchSnapshot {
  config: VswitchConfig;
  facts: VswitchFacts;
  rows: VswitchRowIds;
}

/** The interface `ovs-vsctl add-br` gives a bridge: an internal one of the bridge's own name. */
export const LOCAL_INTERFACE: VswitchInterface = {
  type: 'internal',
  options: {},
  externalIds: {},
  mtuRequest: null,
};

export function emptyPort(interfaces: Record<string, VswitchInterface>): VswitchPort {
  return {
    tag: null,
    trunks: [],
    vlanMode: null,
    bondMode: null,
    lacp: null,
    otherConfig: {},
    externalIds: {},
    interfaces,
  };
}

/** A bridge as `ovs-vsctl add-br NAME` makes it: OVS's defaults and its local port. */
export function newBridge(name: string): VswitchBridge {
  return {
    datapathType: '',
    failMode: null,
    controllers: [],
    protocols: [],
    stpEnable: false,
    rstpEnable: false,
    mcastSnoopingEnable: false,
    otherConfig: {},
    externalIds: {},
    ports: { [name]: emptyPort({ [name]: LOCAL_INTERFACE }) },
  };
}

const sortedSet = <Item extends string | number>(items: readonly Item[]): Item[] =>
  [...new Set(items)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function normalizedPort(port: VswitchPort): VswitchPort {
  return { ...port, trunks: sortedSet(port.trunks) };
}

/**
 * `config` as OVSDB would hold it, so that comparing it with a capture finds only real differences: sets sorted
 * without duplicates, and every bridge with its local port (OVS's OFPP_LOCAL, the device of the bridge's name)
 * — a desired bridge that does not list it gets the one `ovs-vsctl add-br` makes, so leaving it out never
 * deletes it.
 */
export function normalizedVswitch(config: VswitchConfig): VswitchConfig {
  const bridges: Record<string, VswitchBridge> = {};
  for (const [name, bridge] of Object.entries(config.bridges)) {
    const ports = Object.entries(bridge.ports).map(([portName, port]): [string, VswitchPort] => [
      portName,
      normalizedPort(port),
    ]);
    if (!(name in bridge.ports)) ports.push([name, emptyPort({ [name]: LOCAL_INTERFACE })]);
    bridges[name] = {
      ...bridge,
      controllers: sortedSet(bridge.controllers),
      protocols: sortedSet(bridge.protocols),
      ports: sortedRecord(ports),
    };
  }
  return { bridges: sortedRecord(Object.entries(bridges)) };
}
