// dev.ovs.PortAgent1 at /dev/ovs/PortAgent1: ports for containers on OVS bridges (named by
// container-port-name.ts), the ports there are, and the ledger's statistics.
import { ServiceMethodError, type ServiceObject } from '../dbus/service-types.js';
import { openLedger } from '../ledger/ledger.js';
import { bridgeNameProblem } from '../ovsdb/names.js';
import { containerNameProblem, containerPortExternalIds, containerPortName } from './container-port-name.js';
import { portsOfBridge, readBridgesAndPorts } from './ovs-bridges.js';
import { type OvsServiceOptions, recordedOvsChange } from './ovs-change-record.js';
import { addPort, deletePort } from './ovs-changes.js';
import { checkedName } from './ovsdb-service.js';
import { OVSDB_ERROR } from './ovsdb-session.js';
import { serviceObjectFor } from './policy/contract-object.js';
import { PORT_AGENT_SERVICE } from './policy/contracts.js';

function containerArgs(bridgeValue: unknown, containerValue: unknown) {
  const bridge = checkedName(bridgeValue, bridgeNameProblem, 'bridge');
  const container = String(containerValue);
  const problem = containerNameProblem(container);
  if (problem)
    throw new ServiceMethodError(
      OVSDB_ERROR.invalidName,
      `container ${JSON.stringify(container)}: ${problem}`,
    );
  return { bridge, container, port: containerPortName(bridge, container) };
}

export function portAgentServiceObject(options: OvsServiceOptions): ServiceObject {
  const { ovsdb, openMachine } = options;
  return serviceObjectFor(PORT_AGENT_SERVICE, {
    methods: {
      async ListPorts() {
        const names = await ovsdb.use(async (client) => {
          const { bridges, ports } = await readBridgesAndPorts(client);
          return bridges.flatMap((bridge) => portsOfBridge(bridge, ports).map((port) => port.name));
        });
        return [names.sort()];
      },
      async CreateContainerInterface([bridgeValue, containerValue], caller) {
        const { bridge, container, port } = containerArgs(bridgeValue, containerValue);
        const change = {
          action: 'ovs-create-container-port',
          details: { bridge, container, port },
          summary: `port ${port} for container ${container} on ${bridge}`,
        };
        const newPort = {
          name: port,
          type: 'internal' as const,
          externalIds: containerPortExternalIds(container),
        };
        const taken = () =>
          new ServiceMethodError(
            OVSDB_ERROR.portExists,
            `container ${JSON.stringify(container)} already has port ${port} on ${bridge}`,
          );
        await recordedOvsChange(options, caller, change, (context) =>
          addPort(context, bridge, newPort, taken),
        );
        return [port];
      },
      async RemoveContainerInterface([bridgeValue, containerValue], caller) {
        const { bridge, container, port } = containerArgs(bridgeValue, containerValue);
        const change = {
          action: 'ovs-remove-container-port',
          details: { bridge, container, port },
          summary: `remove port ${port} of container ${container}`,
        };
        const missing = () =>
          new ServiceMethodError(
            OVSDB_ERROR.noSuchPort,
            `container ${JSON.stringify(container)} has no port on bridge ${JSON.stringify(bridge)}`,
          );
        await recordedOvsChange(options, caller, change, (context) =>
          deletePort(context, bridge, port, missing),
        );
        return [];
      },
      async GetBlockchainStats() {
        const machine = openMachine();
        try {
          return [JSON.stringify(await openLedger(machine).stats())];
        } finally {
          await machine.close();
        }
      },
    },
  });
}
