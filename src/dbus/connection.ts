// The one place op-dbus talks to dbus-next: connect, call, properties, introspection and signals,
// every call bounded by a timeout and every failure naming the service and method.
import { existsSync } from 'node:fs';
import type { Message, MessageBus } from 'dbus-next';
import {
  type CallTarget,
  DbusCallError,
  DbusConnectError,
  DbusTimeoutError,
  describeCause,
} from './errors.js';
import { plainValue } from './values.js';

type DbusModule = typeof import('dbus-next');

export const DEFAULT_SYSTEM_BUS_ADDRESS = 'unix:path=/run/dbus/system_bus_socket';
const BUS_SERVICE = 'org.freedesktop.DBus';
const BUS_PATH = '/org/freedesktop/DBus';

export interface CallOptions {
  signature?: string;
  args?: unknown[];
  timeoutMs?: number;
}

export interface SignalMatch {
  sender?: string;
  path?: string;
  iface?: string;
  member?: string;
}

export interface SignalEvent {
  sender: string;
  path: string;
  iface: string;
  member: string;
  body: unknown[];
}

let dbusModule: Promise<DbusModule> | undefined;
/** dbus-next costs ~35 ms to load, so only commands that talk to a bus pay for it. */
function loadDbus(): Promise<DbusModule> {
  dbusModule ??= import('dbus-next').then((mod) => (mod as { default?: DbusModule }).default ?? mod);
  return dbusModule;
}

function socketPathOf(address: string): string | undefined {
  const match = /^unix:path=([^,;]+)/.exec(address);
  return match?.[1];
}

export async function openDbusConnection(address: string, timeoutMs: number): Promise<DbusConnection> {
  const socketPath = socketPathOf(address);
  if (socketPath !== undefined && !existsSync(socketPath)) {
    throw new DbusConnectError(
      address,
      new Error(`socket ${socketPath} does not exist (is dbus-daemon running?)`),
    );
  }
  const dbus = await loadDbus();
  let bus: MessageBus;
  try {
    bus = dbus.sessionBus({ busAddress: address });
  } catch (error) {
    throw new DbusConnectError(address, error);
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new DbusConnectError(address, `no Hello reply within ${timeoutMs} ms`)),
      timeoutMs,
    );
    bus.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    bus.once('error', (error: unknown) => {
      clearTimeout(timer);
      reject(new DbusConnectError(address, error));
    });
  }).catch((error: unknown) => {
    bus.disconnect();
    throw error;
  });
  return new DbusConnection(bus, dbus, address, timeoutMs);
}

export class DbusConnection {
  private closed = false;
  private lastError: unknown;

  constructor(
    private readonly bus: MessageBus,
    private readonly dbus: DbusModule,
    readonly address: string,
    readonly defaultTimeoutMs: number,
  ) {
    // A dropped connection must surface as call errors, never as an unhandled 'error' event.
    bus.on('error', (error: unknown) => {
      this.lastError = error;
    });
  }

  /** Calls a method and returns its reply body converted to plain values. */
  async call(
    service: string,
    path: string,
    iface: string,
    member: string,
    options: CallOptions = {},
  ): Promise<unknown[]> {
    const reply = await this.rawCall({ service, path, iface, member }, options);
    return (reply?.body ?? []).map(plainValue);
  }

  /** Calls a method and returns the first value of its reply. */
  async callOne(
    service: string,
    path: string,
    iface: string,
    member: string,
    options: CallOptions = {},
  ): Promise<unknown> {
    const body = await this.call(service, path, iface, member, options);
    return body[0];
  }

  async getProperty(
    service: string,
    path: string,
    iface: string,
    name: string,
    timeoutMs?: number,
  ): Promise<unknown> {
    return this.callOne(service, path, 'org.freedesktop.DBus.Properties', 'Get', {
      signature: 'ss',
      args: [iface, name],
      timeoutMs,
    });
  }

  async getAllProperties(
    service: string,
    path: string,
    iface: string,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>> {
    const value = await this.callOne(service, path, 'org.freedesktop.DBus.Properties', 'GetAll', {
      signature: 's',
      args: [iface],
      timeoutMs,
    });
    return (value ?? {}) as Record<string, unknown>;
  }

  async introspect(service: string, path: string, timeoutMs?: number): Promise<string> {
    const xml = await this.callOne(service, path, 'org.freedesktop.DBus.Introspectable', 'Introspect', {
      timeoutMs,
    });
    return String(xml ?? '');
  }

  async listNames(): Promise<string[]> {
    return (await this.callOne(BUS_SERVICE, BUS_PATH, BUS_SERVICE, 'ListNames')) as string[];
  }

  async listActivatableNames(): Promise<string[]> {
    return (await this.callOne(BUS_SERVICE, BUS_PATH, BUS_SERVICE, 'ListActivatableNames')) as string[];
  }

  async nameOwner(name: string): Promise<string | undefined> {
    try {
      return String(
        await this.callOne(BUS_SERVICE, BUS_PATH, BUS_SERVICE, 'GetNameOwner', {
          signature: 's',
          args: [name],
        }),
      );
    } catch (error) {
      if (
        error instanceof DbusCallError &&
        error.dbusErrorName === 'org.freedesktop.DBus.Error.NameHasNoOwner'
      )
        return undefined;
      throw error;
    }
  }

  async connectionPid(name: string): Promise<number> {
    return Number(
      await this.callOne(BUS_SERVICE, BUS_PATH, BUS_SERVICE, 'GetConnectionUnixProcessID', {
        signature: 's',
        args: [name],
      }),
    );
  }

  /** Subscribes to signals matching `match`; returns a function that removes the subscription. */
  async subscribe(match: SignalMatch, handler: (event: SignalEvent) => void): Promise<() => Promise<void>> {
    const rule = matchRule(match);
    await this.call(BUS_SERVICE, BUS_PATH, BUS_SERVICE, 'AddMatch', { signature: 's', args: [rule] });
    const listener = (msg: Message) => {
      if (msg.type !== this.dbus.MessageType.SIGNAL) return;
      if (!signalMatches(match, msg)) return;
      handler({
        sender: msg.sender,
        path: msg.path,
        iface: msg.interface,
        member: msg.member,
        body: msg.body.map(plainValue),
      });
    };
    this.bus.on('message', listener);
    return async () => {
      this.bus.removeListener('message', listener);
      if (!this.closed)
        await this.call(BUS_SERVICE, BUS_PATH, BUS_SERVICE, 'RemoveMatch', { signature: 's', args: [rule] });
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.bus.disconnect();
  }

  private async rawCall(target: CallTarget, options: CallOptions): Promise<Message | null> {
    if (this.closed) throw new DbusCallError(target, undefined, 'connection is closed');
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const message = new this.dbus.Message({
      destination: target.service,
      path: target.path,
      interface: target.iface,
      member: target.member,
      signature: options.signature ?? '',
      body: options.args ?? [],
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DbusTimeoutError(target, timeoutMs)), timeoutMs);
    });
    try {
      return await Promise.race([this.bus.call(message), timeout]);
    } catch (error) {
      if (error instanceof DbusCallError) throw error;
      const dbusError = error as { type?: string; text?: string };
      const detail = dbusError.type
        ? `${dbusError.type}: ${dbusError.text ?? ''}`
        : describeCause(this.lastError ?? error);
      throw new DbusCallError(target, dbusError.type, detail, error);
    } finally {
      clearTimeout(timer);
    }
  }
}

function matchRule(match: SignalMatch): string {
  const parts = ["type='signal'"];
  if (match.sender) parts.push(`sender='${match.sender}'`);
  if (match.path) parts.push(`path='${match.path}'`);
  if (match.iface) parts.push(`interface='${match.iface}'`);
  if (match.member) parts.push(`member='${match.member}'`);
  return parts.join(',');
}

function signalMatches(match: SignalMatch, msg: Message): boolean {
  // The bus routes by unique name, so a well-known sender is not compared here.
  if (match.path && msg.path !== match.path) return false;
  if (match.iface && msg.interface !== match.iface) return false;
  if (match.member && msg.member !== match.member) return false;
  return true;
}
