// The three services `op-dbus dbus serve` exports, sharing one OVSDB connection.
import type { ServiceObject } from '../dbus/service-types.js';
import type { Machine } from '../machine/machine.js';
import { opdbusServiceObject } from './opdbus-service.js';
import { ovsdbServiceObject } from './ovsdb-service.js';
import { OvsdbSession } from './ovsdb-session.js';
import { OPDBUS_SERVICE, SERVICE_CONTRACTS } from './policy/contracts.js';
import { portAgentServiceObject } from './port-agent-service.js';
import type { ServiceEvents } from './service-context.js';

export interface ExportedServicesOptions {
  openMachine(): Machine;
  events: ServiceEvents;
  ovsdbAddress: string;
  timeoutMs: number;
}

export interface ExportedServices {
  names: string[];
  objects: ServiceObject[];
  close(): void;
}

export function exportedServices(options: ExportedServicesOptions): ExportedServices {
  const ovsdb = new OvsdbSession(options.ovsdbAddress, options.timeoutMs);
  const shared = { ovsdb, openMachine: options.openMachine };
  return {
    // org.opdbus comes last: the unit is Type=dbus on it, so systemd counts the service started once all are owned.
    names: [...SERVICE_CONTRACTS.filter((contract) => contract !== OPDBUS_SERVICE), OPDBUS_SERVICE].map(
      (contract) => contract.busName,
    ),
    objects: [
      opdbusServiceObject({ openMachine: options.openMachine, events: options.events }),
      ovsdbServiceObject(shared),
      portAgentServiceObject(shared),
    ],
    close: () => ovsdb.close(),
  };
}
