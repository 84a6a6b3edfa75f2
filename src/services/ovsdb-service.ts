// org.openvswitch.ovsdb at /org/openvswitch/ovsdb: bridges and ports over D-Bus for operators who may not run
// ovs-vsctl; names are checked before anything is sent, each change is one OVSDB transaction in the ledger.
import { ServiceMethodError, type ServiceObject } from '../dbus/service-types.js';
import { bridgeNameProblem, portNameProblem } from '../ovsdb/names.js';
import { bridgeNames, findBridge, portsOfBridge, readBridgesAndPorts } from './ovs-bridges.js';
import { type OvsServiceOptions, recordedOvsChange } from './ovs-change-record.js';
import { addPort, createBridge, deleteBridge, deletePort, noSuchBridge } from './ovs-changes.js';
import { OVSDB_ERROR } from './ovsdb-session.js';
import { serviceObjectFor } from './policy/contract-object.js';
import { OVSDB_SERVICE } from './policy/contracts.js';

/** The argument as a name OVS and Linux accept, or an InvalidName error saying which rule it breaks. */
export function checkedName(
  value: unknown,
  problemOf: (name: string) => string | undefined,
  what: string,
): string {
  const name = String(value);
  const problem = problemOf(name);
  if (problem)
    throw new ServiceMethodError(OVSDB_ERROR.invalidName, `${what} name ${JSON.stringify(name)}: ${problem}`);
  return name;
}

export function ovsdbServiceObject(options: OvsServiceOptions): ServiceObject {
  const { ovsdb } = options;
  return serviceObjectFor(OVSDB_SERVICE, {
    methods: {
      async CreateBridge([value], caller) {
        const bridge = checkedName(value, bridgeNameProblem, 'bridge');
        const change = { action: 'ovs-create-bridge', details: { bridge }, summary: `add-br ${bridge}` };
        await recordedOvsChange(options, caller, change, (context) => createBridge(context, bridge));
        return [];
      },
      async DeleteBridge([value], caller) {
        const bridge = checkedName(value, bridgeNameProblem, 'bridge');
        const change = { action: 'ovs-delete-bridge', details: { bridge }, summary: `del-br ${bridge}` };
        await recordedOvsChange(options, caller, change, (context) => deleteBridge(context, bridge));
        return [];
      },
      async AddPort([bridgeValue, portValue], caller) {
        const bridge = checkedName(bridgeValue, bridgeNameProblem, 'bridge');
        const port = checkedName(portValue, portNameProblem, 'port');
        const change = {
          action: 'ovs-add-port',
          details: { bridge, port },
          summary: `add-port ${bridge} ${port}`,
        };
        await recordedOvsChange(options, caller, change, (context) =>
          addPort(context, bridge, { name: port, type: '' }),
        );
        return [];
      },
      async DeletePort([bridgeValue, portValue], caller) {
        const bridge = checkedName(bridgeValue, bridgeNameProblem, 'bridge');
        const port = checkedName(portValue, portNameProblem, 'port');
        const missing = () =>
          new ServiceMethodError(
            OVSDB_ERROR.noSuchPort,
            `bridge ${JSON.stringify(bridge)} has no port ${JSON.stringify(port)}`,
          );
        const change = {
          action: 'ovs-delete-port',
          details: { bridge, port },
          summary: `del-port ${bridge} ${port}`,
        };
        await recordedOvsChange(options, caller, change, (context) =>
          deletePort(context, bridge, port, missing),
        );
        return [];
      },
      async BridgeExists([value]) {
        const bridge = checkedName(value, bridgeNameProblem, 'bridge');
        return [await ovsdb.use(async (client) => (await findBridge(client, bridge)) !== undefined)];
      },
      async ListBridges() {
        return [await ovsdb.use(bridgeNames)];
      },
      async ListBridgePorts([value]) {
        const bridge = checkedName(value, bridgeNameProblem, 'bridge');
        const names = await ovsdb.use(async (client) => {
          const { bridges, ports } = await readBridgesAndPorts(client);
          const row = bridges.find((candidate) => candidate.name === bridge);
          if (!row) throw noSuchBridge(bridge);
          return portsOfBridge(row, ports).map((port) => port.name);
        });
        return [names.sort()];
      },
    },
  });
}
