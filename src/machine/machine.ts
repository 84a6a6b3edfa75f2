// A Machine is where state is read and written: a D-Bus address plus a root directory for files.
import { join } from 'node:path';
import { type DbusConnection, DEFAULT_SYSTEM_BUS_ADDRESS, openDbusConnection } from '../dbus/connection.js';
import { OvsdbClient } from '../ovsdb/client.js';
import { RootFs } from './root-fs.js';

export const DEFAULT_TIMEOUT_MS = 5000;

export interface MachineOptions {
  /** D-Bus address; defaults to $OPDBUS_BUS_ADDRESS, then $DBUS_SYSTEM_BUS_ADDRESS, then the system bus. */
  busAddress?: string;
  /** Root directory for files; defaults to `/`. */
  root?: string;
  /** Timeout for each D-Bus call, in milliseconds. */
  timeoutMs?: number;
  /** OVSDB address (`unix:PATH` or `tcp:HOST:PORT`); defaults to Open vSwitch's socket under the root. */
  ovsdb?: string;
}

export function defaultBusAddress(env: NodeJS.ProcessEnv = process.env): string {
  return env.OPDBUS_BUS_ADDRESS || env.DBUS_SYSTEM_BUS_ADDRESS || DEFAULT_SYSTEM_BUS_ADDRESS;
}

export class Machine {
  readonly busAddress: string;
  readonly root: string;
  readonly timeoutMs: number;
  readonly files: RootFs;
  readonly ovsdbAddress: string;
  private connection: Promise<DbusConnection> | undefined;
  private ovsdbConnection: Promise<OvsdbClient> | undefined;

  constructor(options: MachineOptions = {}) {
    this.busAddress = options.busAddress ?? defaultBusAddress();
    this.root = options.root ?? '/';
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.files = new RootFs(this.root);
    // A container's root bind-mounted on the host carries its own Open vSwitch socket, like its bus.
    this.ovsdbAddress = options.ovsdb ?? `unix:${join(this.root, 'run/openvswitch/db.sock')}`;
  }

  /** The machine's bus, connected once and shared by every plugin; rejects with the reason it is unreachable. */
  bus(): Promise<DbusConnection> {
    this.connection ??= openDbusConnection(this.busAddress, this.timeoutMs);
    return this.connection;
  }

  /** Whether the bus answers; the reason when it does not. */
  async busStatus(): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      await this.bus();
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
  }

  /** The machine's OVSDB server, connected once; rejects with the reason it is unreachable. */
  ovsdb(): Promise<OvsdbClient> {
    if (this.ovsdbConnection) return this.ovsdbConnection;
    // One command's worth of requests: no keepalive timer, and a dropped connection fails the requests on it;
    // the next use connects again (an undo after a lost connection must still reach the server).
    const connection = OvsdbClient.connect(this.ovsdbAddress, {
      timeoutMs: this.timeoutMs,
      keepaliveMs: 0,
      reconnect: false,
      onConnectionChange: (connected) => {
        if (!connected && this.ovsdbConnection === connection) this.ovsdbConnection = undefined;
      },
    });
    this.ovsdbConnection = connection;
    connection.catch(() => {
      if (this.ovsdbConnection === connection) this.ovsdbConnection = undefined;
    });
    return connection;
  }

  async close(): Promise<void> {
    const connections = [this.connection, this.ovsdbConnection];
    this.connection = undefined;
    this.ovsdbConnection = undefined;
    for (const connection of connections) {
      try {
        (await connection)?.close();
      } catch {
        // A connection that never opened has nothing to close.
      }
    }
  }
}
