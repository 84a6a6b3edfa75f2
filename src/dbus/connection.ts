// The one place op-dbus talks to dbus-next: connect, call, properties, introspection and signals,
// every call bounded by a timeout and every failure naming the service and method.
import { existsSync } from 'node:fs';
import type { Message, MessageBus } from 'dbus-next';
import { withTimeout } from '../util/timeout.js';
import {
  type CallTarget,
  DbusCallError,
  DbusConnectError,
  DbusTimeoutError,
  describeCause,
} from './errors.js';
import { plainValue } from './values.js';
import { BUS_PATH, BUS_SERVICE } from './well-known.js';

export type DbusModule = typeof import('dbus-next');

export const DEFAULT_SYSTEM_BUS_ADDRESS = 'unix:path=/run/dbus/system_bus_socket';

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

/** A connected bus (Hello answered within `timeoutMs`) and the library it came from. */
export async function connectMessageBus(
  address: string,
  timeoutMs: number,
): Promise<{ bus: MessageBus; dbus: DbusModule }> {
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
  const connected = new Promise<void>((resolve, reject) => {
    bus.once('connect', () => resolve());
    bus.once('error', (error: unknown) => reject(new DbusConnectError(address, error)));
  });
  try {
    await withTimeout(
      connected,
      timeoutMs,
      () => new DbusConnectError(address, `no Hello reply within ${timeoutMs} ms`),
    );
  } catch (error) {
    // A connection given up on may still report its failure later; unheard, that 'error' would crash.
    bus.on('error', () => {});
    bus.disconnect();
    throw error;
  }
  return { bus, dbus };
}

export async function openDbusConnection(address: string, timeoutMs: number): Promise<DbusConnection> {
  const { bus, dbus } = await connectMessageBus(address, timeoutMs);
  return new DbusConnection(bus, dbus, address, timeoutMs);
}

export class DbusConnection {
  private closed = false;
  private lastError: unknown;
  /** Fails each call still awaiting its reply; close() runs them so no caller waits out its timeout. */
  private readonly pending = new Set<() => void>();

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

  /**
   * Subscribes to signals matching `match`; returns a function that removes the subscription.
   * Signals carry their sender's unique name, so a well-known `sender` is followed to its owner: GetNameOwner
   * now, then NameOwnerChanged (a restarted service, or systemd after daemon-reexec, has a new unique name).
   */
  async subscribe(match: SignalMatch, handler: (event: SignalEvent) => void): Promise<() => Promise<void>> {
    const followed = match.sender !== undefined && !isUniqueName(match.sender) ? match.sender : undefined;
    const rules = followed ? [ownerChangedRule(followed), matchRule(match)] : [matchRule(match)];
    // The unique name signals must come from; undefined while a followed name has no owner.
    let sender = followed ? undefined : match.sender;
    let ownerChangeSeen = false;
    const listener = (msg: Message) => {
      if (msg.type !== this.dbus.MessageType.SIGNAL) return;
      if (followed && isOwnerChange(msg, followed)) {
        sender = String(msg.body[2]) || undefined;
        ownerChangeSeen = true;
      }
      if (match.sender !== undefined && msg.sender !== sender) return;
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
    const added: string[] = [];
    try {
      for (const rule of rules) {
        await this.busCall('AddMatch', rule);
        added.push(rule);
      }
      if (followed) {
        // Asked once the NameOwnerChanged rule is in place, so no change is missed; a change that arrived
        // meanwhile is at least as recent as this reply.
        const owner = await this.nameOwner(followed);
        if (!ownerChangeSeen) sender = owner;
      }
    } catch (error) {
      this.bus.removeListener('message', listener);
      await this.removeMatches(added);
      throw error;
    }
    return async () => {
      this.bus.removeListener('message', listener);
      if (!this.closed) for (const rule of rules) await this.busCall('RemoveMatch', rule);
    };
  }

  private async busCall(member: 'AddMatch' | 'RemoveMatch', rule: string): Promise<void> {
    await this.call(BUS_SERVICE, BUS_PATH, BUS_SERVICE, member, { signature: 's', args: [rule] });
  }

  /** Undoes a subscription that failed half-way; the subscription's own error is the one worth reporting. */
  private async removeMatches(rules: readonly string[]): Promise<void> {
    for (const rule of rules) await this.busCall('RemoveMatch', rule).catch(() => undefined);
  }

  /** Disconnects; calls still awaiting a reply are rejected at once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const abandon of this.pending) abandon();
    this.pending.clear();
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
    let abandon: () => void = () => {};
    const closedWhileWaiting = new Promise<never>((_, reject) => {
      abandon = () => reject(new DbusCallError(target, undefined, 'connection closed before the reply came'));
    });
    this.pending.add(abandon);
    try {
      const reply = this.bus.call(message);
      return await withTimeout(Promise.race([reply, closedWhileWaiting]), timeoutMs, () => {
        forgetReplyHandler(this.bus, message.serial);
        return new DbusTimeoutError(target, timeoutMs);
      });
    } catch (error) {
      if (error instanceof DbusCallError) throw error;
      const dbusError = error as { type?: string; text?: string };
      const detail = dbusError.type
        ? `${dbusError.type}: ${dbusError.text ?? ''}`
        : describeCause(this.lastError ?? error);
      throw new DbusCallError(target, dbusError.type, detail, error);
    } finally {
      this.pending.delete(abandon);
    }
  }
}

/**
 * dbus-next cannot cancel a call: it keeps the call's reply handler until a reply arrives, which for a call
 * given up on may be never, holding the handler for the connection's life. Its handler table is private
 * (dbus-next 0.10: `_methodReturnHandlers[serial]`), so this is the one place that reaches into it, and it
 * does nothing if a later version stores handlers elsewhere.
 */
function forgetReplyHandler(bus: MessageBus, serial: number | null): void {
  const handlers = (bus as unknown as { _methodReturnHandlers?: Record<number, unknown> })
    ._methodReturnHandlers;
  if (serial !== null && typeof handlers === 'object' && handlers !== null) delete handlers[serial];
}

function matchRule(match: SignalMatch): string {
  const parts = ["type='signal'"];
  if (match.sender) parts.push(`sender='${match.sender}'`);
  if (match.path) parts.push(`path='${match.path}'`);
  if (match.iface) parts.push(`interface='${match.iface}'`);
  if (match.member) parts.push(`member='${match.member}'`);
  return parts.join(',');
}

/** Unique connection names (`:1.42`) start with a colon; every other bus name is well-known. */
function isUniqueName(name: string): boolean {
  return name.startsWith(':');
}

function ownerChangedRule(name: string): string {
  return `type='signal',sender='${BUS_SERVICE}',path='${BUS_PATH}',interface='${BUS_SERVICE}',member='NameOwnerChanged',arg0='${name}'`;
}

function isOwnerChange(msg: Message, name: string): boolean {
  return (
    msg.sender === BUS_SERVICE &&
    msg.path === BUS_PATH &&
    msg.interface === BUS_SERVICE &&
    msg.member === 'NameOwnerChanged' &&
    msg.body[0] === name
  );
}

/** The sender is compared by the caller, against the unique name it resolved. */
function signalMatches(match: SignalMatch, msg: Message): boolean {
  if (match.path && msg.path !== match.path) return false;
  if (match.iface && msg.interface !== match.iface) return false;
  if (match.member && msg.member !== match.member) return false;
  return true;
}
