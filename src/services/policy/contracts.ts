// The D-Bus services `op-dbus dbus serve` exports, as data: bus names, object paths, every method with its
// arguments and what it does, properties and signals. The policy files are generated from this and the
// services implement it (see contract-object.ts), so who may call what cannot drift from what is exported.

/**
 * What a method does, which decides who may call it: `read` and `create` are open to root and the policy
 * group; `delete` (removes what exists) and `apply` (converges the machine, deleting as needed) are root's.
 */
export type MethodAccess = 'read' | 'create' | 'delete' | 'apply';

export const GROUP_MAY_CALL: Readonly<Record<MethodAccess, boolean>> = {
  read: true,
  create: true,
  delete: false,
  apply: false,
};

export interface ContractArg {
  name: string;
  type: string;
}

export interface MethodContract {
  name: string;
  access: MethodAccess;
  inArgs: readonly ContractArg[];
  outArgs: readonly ContractArg[];
}

export interface ServiceContract {
  /** The well-known name, also the name of the one interface the service exports. */
  busName: string;
  objectPath: string;
  interfaceName: string;
  /** One line for the policy file's header. */
  summary: string;
  methods: readonly MethodContract[];
  properties: readonly (ContractArg & { constant?: boolean })[];
  signals: readonly { name: string; args: readonly ContractArg[] }[];
}

const arg = (name: string, type: string): ContractArg => ({ name, type });
const bridge = arg('bridge', 's');
const port = arg('port', 's');
const document = arg('document', 's');

export const OVSDB_SERVICE: ServiceContract = {
  busName: 'org.openvswitch.ovsdb',
  objectPath: '/org/openvswitch/ovsdb',
  interfaceName: 'org.openvswitch.ovsdb',
  summary: 'Open vSwitch bridges and ports, managed through OVSDB',
  methods: [
    { name: 'BridgeExists', access: 'read', inArgs: [bridge], outArgs: [arg('exists', 'b')] },
    { name: 'ListBridges', access: 'read', inArgs: [], outArgs: [arg('bridges', 'as')] },
    { name: 'ListBridgePorts', access: 'read', inArgs: [bridge], outArgs: [arg('ports', 'as')] },
    { name: 'CreateBridge', access: 'create', inArgs: [bridge], outArgs: [] },
    { name: 'AddPort', access: 'create', inArgs: [bridge, port], outArgs: [] },
    { name: 'DeleteBridge', access: 'delete', inArgs: [bridge], outArgs: [] },
    { name: 'DeletePort', access: 'delete', inArgs: [bridge, port], outArgs: [] },
  ],
  properties: [],
  signals: [],
};

export const PORT_AGENT_SERVICE: ServiceContract = {
  busName: 'dev.ovs.PortAgent1',
  objectPath: '/dev/ovs/PortAgent1',
  interfaceName: 'dev.ovs.PortAgent1',
  summary: 'Open vSwitch ports for containers, and the ledger statistics',
  methods: [
    { name: 'ListPorts', access: 'read', inArgs: [], outArgs: [arg('ports', 'as')] },
    { name: 'GetBlockchainStats', access: 'read', inArgs: [], outArgs: [arg('stats', 's')] },
    {
      name: 'CreateContainerInterface',
      access: 'create',
      inArgs: [bridge, arg('container', 's')],
      outArgs: [port],
    },
    {
      name: 'RemoveContainerInterface',
      access: 'delete',
      inArgs: [bridge, arg('container', 's')],
      outArgs: [],
    },
  ],
  properties: [],
  signals: [],
};

export const OPDBUS_SERVICE: ServiceContract = {
  busName: 'org.opdbus',
  objectPath: '/org/opdbus',
  interfaceName: 'org.opdbus',
  summary: "op-dbus itself: query, plan, verify and apply the machine's state",
  methods: [
    { name: 'Query', access: 'read', inArgs: [arg('plugins', 's')], outArgs: [arg('state', 's')] },
    { name: 'Plan', access: 'read', inArgs: [document], outArgs: [arg('plan', 's')] },
    { name: 'Verify', access: 'read', inArgs: [document], outArgs: [arg('report', 's')] },
    { name: 'ApplyState', access: 'apply', inArgs: [document], outArgs: [arg('outcome', 's')] },
  ],
  properties: [{ ...arg('Version', 's'), constant: true }, arg('LastApply', 's')],
  signals: [
    { name: 'StateApplied', args: [arg('outcome', 's')] },
    { name: 'DriftDetected', args: [arg('report', 's')] },
  ],
};

export const SERVICE_CONTRACTS: readonly ServiceContract[] = [
  OVSDB_SERVICE,
  PORT_AGENT_SERVICE,
  OPDBUS_SERVICE,
];
