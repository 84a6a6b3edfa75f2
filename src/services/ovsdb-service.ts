// org.openvswitch.ovsdb at /org/openvswitch/ovsdb: bridges and ports over D-Bus for operators who may not run
// ovs-vsctl; names are checked before anything is sent, each change is one OVSDB transaction in the ledger.
import { type CallerInfo, ServiceMethodError, type ServiceObject } from '../dbus/service-types.js';
import type { Machine } from '../machine/machine.js';
import { bridgeNameProblem, portNameProblem } from '../ovsdb/names.js';
import { transactSettled } from '../ovsdb/vswitchd.js';
import {
  addPortOperations,
  bridgeNames,
  createBridgeOperations,
  deleteBridgeOperations,
  deletePortOperations,
  findBridge,
  portsOfBridge,
  readBridgesAndPorts,
} from './ovs-bridges.js';
import { recordedOvsChange } from './ovs-change-record.js';
import { OVSDB_ERROR, type OvsdbSession } from './ovsdb-session.js';
import { serviceObjectFor } from './policy/contract-object.js';
import { OVSDB_SERVICE } from './policy/contracts.js';

export interface OvsServiceOptions {
  ovsdb: OvsdbSession;
  openMachine(): Machine;
}

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

export const noSuchBridge = (name: string) =>
  new ServiceMethodError(OVSDB_ERROR.noSuchBridge, `no bridge named ${JSON.stringify(name)}`);

/** What a transaction's comment says, so `ovsdb-tool show-log` tells who made each change. */
export const changeComment = (caller: CallerInfo, what: string) =>
  `op-dbus (D-Bus, uid ${caller.uid}): ${what}`;

export function ovsdbServiceObject({ ovsdb, openMachine }: OvsServiceOptions): ServiceObject {
  return serviceObjectFor(OVSDB_SERVICE, {
    methods: {
      async CreateBridge([value], caller) {
        const bridge = checkedName(value, bridgeNameProblem, 'bridge');
        await recordedOvsChange(
          openMachine,
          caller,
          { action: 'ovs-create-bridge', details: { bridge } },
          () =>
            ovsdb.use(async (client) => {
              if (await findBridge(client, bridge))
                throw new ServiceMethodError(
                  OVSDB_ERROR.bridgeExists,
                  `bridge ${JSON.stringify(bridge)} already exists`,
                );
              const operations = createBridgeOperations(bridge, changeComment(caller, `add-br ${bridge}`));
              return transactSettled(client, operations, {
                interfaces: [bridge],
                timeoutMs: ovsdb.timeoutMs,
              });
            }),
        );
        return [];
      },
      async DeleteBridge([value], caller) {
        const bridge = checkedName(value, bridgeNameProblem, 'bridge');
        await recordedOvsChange(
          openMachine,
          caller,
          { action: 'ovs-delete-bridge', details: { bridge } },
          () =>
            ovsdb.use(async (client) => {
              const row = await findBridge(client, bridge);
              if (!row) throw noSuchBridge(bridge);
              const operations = deleteBridgeOperations(row, changeComment(caller, `del-br ${bridge}`));
              return transactSettled(client, operations, { timeoutMs: ovsdb.timeoutMs });
            }),
        );
        return [];
      },
      async AddPort([bridgeValue, portValue], caller) {
        const bridge = checkedName(bridgeValue, bridgeNameProblem, 'bridge');
        const port = checkedName(portValue, portNameProblem, 'port');
        await recordedOvsChange(
          openMachine,
          caller,
          { action: 'ovs-add-port', details: { bridge, port } },
          () =>
            ovsdb.use(async (client) => {
              const { bridges, ports } = await readBridgesAndPorts(client);
              const row = bridges.find((candidate) => candidate.name === bridge);
              if (!row) throw noSuchBridge(bridge);
              if (ports.some((candidate) => candidate.name === port))
                throw new ServiceMethodError(
                  OVSDB_ERROR.portExists,
                  `port ${JSON.stringify(port)} already exists`,
                );
              const comment = changeComment(caller, `add-port ${bridge} ${port}`);
              const operations = addPortOperations(row, { name: port, type: '' }, comment);
              return transactSettled(client, operations, { interfaces: [port], timeoutMs: ovsdb.timeoutMs });
            }),
        );
        return [];
      },
      async DeletePort([bridgeValue, portValue], caller) {
        const bridge = checkedName(bridgeValue, bridgeNameProblem, 'bridge');
        const port = checkedName(portValue, portNameProblem, 'port');
        await recordedOvsChange(
          openMachine,
          caller,
          { action: 'ovs-delete-port', details: { bridge, port } },
          () =>
            ovsdb.use(async (client) => {
              const { bridges, ports } = await readBridgesAndPorts(client);
              const row = bridges.find((candidate) => candidate.name === bridge);
              if (!row) throw noSuchBridge(bridge);
              const found = portsOfBridge(row, ports).find((candidate) => candidate.name === port);
              if (!found)
                throw new ServiceMethodError(
                  OVSDB_ERROR.noSuchPort,
                  `bridge ${JSON.stringify(bridge)} has no port ${JSON.stringify(port)}`,
                );
              const comment = changeComment(caller, `del-port ${bridge} ${port}`);
              const operations = deletePortOperations(row, found, comment);
              return transactSettled(client, operations, { timeoutMs: ovsdb.timeoutMs });
            }),
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
