// dev.ovs.PortAgent1 at /dev/ovs/PortAgent1: ports for containers on OVS bridges (named by
// container-port-name.ts), the ports there are, and the ledger's statistics.
import { ServiceMethodError, type ServiceObject } from '../dbus/service-types.js';
import { openLedger } from '../ledger/ledger.js';
import type { Machine } from '../machine/machine.js';
import { bridgeNameProblem } from '../ovsdb/names.js';
import { transactSettled } from '../ovsdb/vswitchd.js';
import { containerNameProblem, containerPortExternalIds, containerPortName } from './container-port-name.js';
import {
  addPortOperations,
  deletePortOperations,
  portsOfBridge,
  readBridgesAndPorts,
} from './ovs-bridges.js';
import { recordedOvsChange } from './ovs-change-record.js';
import { changeComment, checkedName, noSuchBridge } from './ovsdb-service.js';
import { OVSDB_ERROR, type OvsdbSession } from './ovsdb-session.js';
import { serviceObjectFor } from './policy/contract-object.js';
import { PORT_AGENT_SERVICE } from './policy/contracts.js';

export interface PortAgentOptions {
  ovsdb: OvsdbSession;
  openMachine(): Machine;
}

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

export function portAgentServiceObject({ ovsdb, openMachine }: PortAgentOptions): ServiceObject {
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
        const details = { bridge, container, port };
        await recordedOvsChange(openMachine, caller, { action: 'ovs-create-container-port', details }, () =>
          ovsdb.use(async (client) => {
            const { bridges, ports } = await readBridgesAndPorts(client);
            const row = bridges.find((candidate) => candidate.name === bridge);
            if (!row) throw noSuchBridge(bridge);
            if (ports.some((candidate) => candidate.name === port))
              throw new ServiceMethodError(
                OVSDB_ERROR.portExists,
                `container ${JSON.stringify(container)} already has port ${port} on ${bridge}`,
              );
            const newPort = {
              name: port,
              type: 'internal' as const,
              externalIds: containerPortExternalIds(container),
            };
            const comment = changeComment(caller, `port ${port} for container ${container} on ${bridge}`);
            const operations = addPortOperations(row, newPort, comment);
            return transactSettled(client, operations, { interfaces: [port], timeoutMs: ovsdb.timeoutMs });
          }),
        );
        return [port];
      },
      async RemoveContainerInterface([bridgeValue, containerValue], caller) {
        const { bridge, container, port } = containerArgs(bridgeValue, containerValue);
        const details = { bridge, container, port };
        await recordedOvsChange(openMachine, caller, { action: 'ovs-remove-container-port', details }, () =>
          ovsdb.use(async (client) => {
            const { bridges, ports } = await readBridgesAndPorts(client);
            const row = bridges.find((candidate) => candidate.name === bridge);
            if (!row) throw noSuchBridge(bridge);
            const found = portsOfBridge(row, ports).find((candidate) => candidate.name === port);
            if (!found)
              throw new ServiceMethodError(
                OVSDB_ERROR.noSuchPort,
                `container ${JSON.stringify(container)} has no port on bridge ${JSON.stringify(bridge)}`,
              );
            const comment = changeComment(caller, `remove port ${port} of container ${container}`);
            const operations = deletePortOperations(row, found, comment);
            return transactSettled(client, operations, { timeoutMs: ovsdb.timeoutMs });
          }),
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
