// A Machine is where state is read and written: a D-Bus address plus a root directory for files.
import { type DbusConnection, DEFAULT_SYSTEM_BUS_ADDRESS, openDbusConnection } from '../dbus/connection.js';
import { RootFs } from './root-fs.js';

export const DEFAULT_TIMEOUT_MS = 5000;

export interface MachineOptions {
  /** D-Bus address; defaults to $OPDBUS_BUS_ADDRESS, then $DBUS_SYSTEM_BUS_ADDRESS, then the system bus. */
  busAddress?: string;
  /** Root directory for files; defaults to `/`. */
  root?: string;
  /** Timeout for each D-Bus call, in milliseconds. */
  timeoutMs?: number;
}

export function defaultBusAddress(env: NodeJS.ProcessEnv = process.env): string {
  return env.OPDBUS_BUS_ADDRESS || env.DBUS_SYSTEM_BUS_ADDRESS || DEFAULT_SYSTEM_BUS_ADDRESS;
}

export class Machine {
  readonly busAddress: string;
  readonly root: string;
  readonly timeoutMs: number;
  readonly files: RootFs;
  private connection: Promise<DbusConnection> | undefined;

  constructor(options: MachineOptions = {}) {
    this.busAddress = options.busAddress ?? defaultBusAddress();
    this.root = options.root ?? '/';
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.files = new RootFs(this.root);
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

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (!connection) return;
    try {
      (await connection).close();
    } catch {
      // A connection that never opened has nothing to close.
    }
  }
}
