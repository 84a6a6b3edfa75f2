// What the services op-dbus exports share: how they emit signals, and how a caller is named in the ledger.
import type { CallerInfo } from '../dbus/service-types.js';

/** The part of the service host a service needs to announce changes. */
export interface ServiceEvents {
  emitSignal(path: string, iface: string, member: string, args: unknown[]): void;
  emitPropertiesChanged(path: string, iface: string, names: string[]): Promise<void> | void;
}

/** The bus vouches for the uid; the ledger names it so every change is tied to who asked. */
export function callerActor(caller: CallerInfo): string {
  return `dbus uid ${caller.uid}${caller.pid === undefined ? '' : ` (pid ${caller.pid})`}`;
}
