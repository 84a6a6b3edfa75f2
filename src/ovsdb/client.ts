// An RFC 7047 client for ovsdb-server over a unix or TCP socket: requests with per-request timeouts, monitors
// with update notifications, echo both ways (answering the server's probes and probing an idle server),
// and reconnection that re-establishes monitors.
import { createConnection, type Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { withTimeout } from '../util/timeout.js';
import { formatOvsdbEndpoint, type OvsdbEndpoint, parseOvsdbEndpoint } from './endpoint.js';
import { OvsdbConnectionError, OvsdbRpcError, OvsdbTimeoutError } from './errors.js';
import { JsonTextSplitter } from './json-splitter.js';
import type {
  OvsdbMonitorRequest,
  OvsdbOperation,
  OvsdbOperationResult,
  OvsdbTableUpdates,
} from './operations.js';
import type { OvsdbSchema } from './schema.js';
import { checkTransactResults } from './transact-results.js';

export interface OvsdbClientOptions {
  /** Milliseconds a request may wait for its reply (default 5 s). */
  timeoutMs?: number;
  /** Idle milliseconds before the server is probed with an echo; it must answer within as long again. 0 disables. */
  keepaliveMs?: number;
  /** Reconnect after the connection drops (default true); the first connection is never retried. */
  reconnect?: boolean;
  /** Told when the connection drops and when it is back (monitors are re-established by then). */
  onConnectionChange?(connected: boolean, error?: Error): void;
}

/** Receives a monitor's initial contents (again after every reconnect) and then each change. */
export type OvsdbMonitorListener = (updates: OvsdbTableUpdates, kind: 'initial' | 'update') => void;

export interface OvsdbMonitor {
  readonly id: string;
  /** The monitored tables' rows when the monitor was established. */
  readonly initial: OvsdbTableUpdates;
  cancel(): Promise<void>;
}

interface PendingRequest {
  method: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

interface MonitorRegistration {
  db: string;
  requests: Record<string, OvsdbMonitorRequest>;
  listener: OvsdbMonitorListener;
}

interface RpcMessage {
  id?: unknown;
  method?: string;
  params?: unknown[];
  result?: unknown;
  error?: unknown;
}

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

export class OvsdbClient {
  private socket: Socket | undefined;
  private readonly splitter = new JsonTextSplitter();
  private decoder = new StringDecoder('utf8');
  private nextId = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly monitors = new Map<string, MonitorRegistration>();
  private lockProbes: Promise<unknown> = Promise.resolve();
  private connectedSocket: Promise<Socket>;
  private closed = false;
  private reconnectDelayMs = RECONNECT_MIN_MS;
  private readonly timeoutMs: number;
  readonly address: string;

  private constructor(
    private readonly endpoint: OvsdbEndpoint,
    private readonly options: OvsdbClientOptions,
    first: Socket,
  ) {
    this.address = formatOvsdbEndpoint(endpoint);
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.connectedSocket = Promise.resolve(first);
    this.adopt(first);
  }

  static async connect(
    endpoint: string | OvsdbEndpoint,
    options: OvsdbClientOptions = {},
  ): Promise<OvsdbClient> {
    const parsed = typeof endpoint === 'string' ? parseOvsdbEndpoint(endpoint) : endpoint;
    const socket = await openSocket(parsed, options.timeoutMs ?? 5_000);
    return new OvsdbClient(parsed, options, socket);
  }

  listDbs(): Promise<string[]> {
    return this.request('list_dbs', []) as Promise<string[]>;
  }

  getSchema(db: string): Promise<OvsdbSchema> {
    return this.request('get_schema', [db]) as Promise<OvsdbSchema>;
  }

  /** Runs the operations as one atomic transaction; throws OvsdbTransactionError if any failed. */
  async transact(
    db: string,
    operations: readonly OvsdbOperation[],
    timeoutMs = this.timeoutMs,
  ): Promise<OvsdbOperationResult[]> {
    const results = await this.request('transact', [db, ...operations], timeoutMs);
    return checkTransactResults(operations, results as (OvsdbOperationResult | null)[]);
  }

  async monitor(
    db: string,
    requests: Record<string, OvsdbMonitorRequest>,
    listener: OvsdbMonitorListener,
    timeoutMs = this.timeoutMs,
  ): Promise<OvsdbMonitor> {
    const id = `m${this.nextId++}`;
    const registration = { db, requests, listener };
    // Registered first: an update may follow the reply immediately, in the same chunk.
    this.monitors.set(id, registration);
    let initial: OvsdbTableUpdates;
    try {
      initial = (await this.request('monitor', [db, id, requests], timeoutMs)) as OvsdbTableUpdates;
    } catch (error) {
      this.monitors.delete(id);
      // The server may still set it up after we stopped waiting: cancel it, whether it exists or not.
      if (error instanceof OvsdbTimeoutError) this.request('monitor_cancel', [id]).catch(() => {});
      throw error;
    }
    return {
      id,
      initial,
      cancel: async () => {
        if (!this.monitors.delete(id)) return;
        await this.request('monitor_cancel', [id]);
      },
    };
  }

  /**
   * Whether another client holds the named lock (RFC 7047 §4.1.8). Asks for it and gives it straight back, so
   * this connection neither keeps it nor stays queued behind its holder. Probes on one connection take turns
   * (the server refuses a second `lock` before the `unlock`); if the exchange fails half-way, the connection
   * is dropped, which is the one sure way to make the server forget the request.
   */
  lockHeldElsewhere(lockId: string, timeoutMs = this.timeoutMs): Promise<boolean> {
    const probe = this.lockProbes.then(async () => {
      const socket = this.socket;
      try {
        const { locked } = (await this.request('lock', [lockId], timeoutMs)) as { locked: boolean };
        await this.request('unlock', [lockId], timeoutMs);
        return !locked;
      } catch (error) {
        if (this.socket === socket) socket?.destroy();
        throw error;
      }
    });
    this.lockProbes = probe.catch(() => {});
    return probe;
  }

  async echo(timeoutMs = this.timeoutMs): Promise<void> {
    await this.request('echo', ['op-dbus'], timeoutMs);
  }

  /** Closes the connection for good; requests still waiting fail at once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.failPending(new OvsdbConnectionError(this.address, 'connection closed by op-dbus'));
    this.socket?.destroy();
  }

  private async request(method: string, params: unknown[], timeoutMs = this.timeoutMs): Promise<unknown> {
    if (this.closed) throw new OvsdbConnectionError(this.address, 'connection is closed');
    const id = this.nextId++;
    const reply = new Promise<unknown>((resolve, reject) =>
      this.pending.set(id, { method, resolve, reject }),
    );
    const sent = this.connectedSocket.then((socket) => {
      if (this.pending.has(id)) socket.write(JSON.stringify({ method, params, id }));
      return reply;
    });
    try {
      return await withTimeout(sent, timeoutMs, () => new OvsdbTimeoutError(this.address, method, timeoutMs));
    } finally {
      this.pending.delete(id);
    }
  }

  private adopt(socket: Socket): void {
    this.socket = socket;
    this.splitter.reset();
    this.decoder = new StringDecoder('utf8');
    socket.on('data', (chunk: Buffer) => this.receive(socket, chunk));
    socket.on('error', () => {}); // 'close' follows and carries the consequence
    socket.on('close', () => this.lost(socket));
    const keepaliveMs = this.options.keepaliveMs ?? 5_000;
    if (keepaliveMs > 0) {
      socket.setTimeout(keepaliveMs);
      socket.on('timeout', () => {
        this.echo(keepaliveMs).catch((error: Error) => socket.destroy(error));
      });
    }
  }

  private receive(socket: Socket, chunk: Buffer): void {
    let messages: RpcMessage[];
    try {
      messages = this.splitter.push(this.decoder.write(chunk)).map((text) => JSON.parse(text) as RpcMessage);
    } catch (error) {
      // A peer that breaks the framing cannot be resynchronised: start over on a new connection.
      socket.destroy(error as Error);
      return;
    }
    for (const message of messages) this.dispatch(socket, message);
  }

  private dispatch(socket: Socket, message: RpcMessage): void {
    if (typeof message.method === 'string') {
      if (message.method === 'echo')
        socket.write(JSON.stringify({ id: message.id, result: message.params, error: null }));
      else if (message.method === 'update') this.deliverUpdate(message.params ?? []);
      return;
    }
    if (typeof message.id !== 'number') return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.error !== null && message.error !== undefined) {
      pending.reject(rpcError(pending.method, message.error));
    } else {
      pending.resolve(message.result);
    }
  }

  private deliverUpdate(params: unknown[]): void {
    const registration = this.monitors.get(String(params[0]));
    registration?.listener((params[1] ?? {}) as OvsdbTableUpdates, 'update');
  }

  private lost(socket: Socket): void {
    if (socket !== this.socket) return;
    const error = new OvsdbConnectionError(this.address, 'connection lost before the reply came');
    this.failPending(error);
    if (this.closed) return;
    this.options.onConnectionChange?.(false, error);
    if (this.options.reconnect === false) {
      this.closed = true;
      return;
    }
    this.connectedSocket = this.reconnect();
    // Requests wait on it; a rejection is theirs to see (and close() ends the loop).
    this.connectedSocket.catch(() => {});
  }

  private async reconnect(): Promise<Socket> {
    while (!this.closed) {
      await new Promise((resolve) => setTimeout(resolve, this.reconnectDelayMs).unref());
      if (this.closed) break;
      try {
        const socket = await openSocket(this.endpoint, this.timeoutMs);
        if (this.closed) {
          socket.destroy();
          break;
        }
        this.reconnectDelayMs = RECONNECT_MIN_MS;
        this.adopt(socket);
        this.connectedSocket = Promise.resolve(socket);
        await this.reestablishMonitors();
        this.options.onConnectionChange?.(true);
        return socket;
      } catch {
        this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, RECONNECT_MAX_MS);
      }
    }
    throw new OvsdbConnectionError(this.address, 'connection closed by op-dbus');
  }

  /** A new connection has no monitors: ask again and hand each listener the fresh contents. */
  private async reestablishMonitors(): Promise<void> {
    for (const [id, { db, requests, listener }] of this.monitors) {
      const initial = (await this.request('monitor', [db, id, requests])) as OvsdbTableUpdates;
      listener(initial, 'initial');
    }
  }

  private failPending(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

function rpcError(method: string, error: unknown): OvsdbRpcError {
  if (typeof error === 'object' && error !== null && 'error' in error) {
    const { error: name, details } = error as { error: unknown; details?: unknown };
    return new OvsdbRpcError(method, String(name), details === undefined ? undefined : String(details));
  }
  return new OvsdbRpcError(method, typeof error === 'string' ? error : JSON.stringify(error), undefined);
}

function openSocket(endpoint: OvsdbEndpoint, timeoutMs: number): Promise<Socket> {
  const address = formatOvsdbEndpoint(endpoint);
  return new Promise((resolve, reject) => {
    const socket =
      endpoint.kind === 'unix'
        ? createConnection({ path: endpoint.path })
        : createConnection({ host: endpoint.host, port: endpoint.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new OvsdbConnectionError(address, `could not connect within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new OvsdbConnectionError(address, connectFailure(error), error));
    });
  });
}

function connectFailure(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return 'the socket does not exist (is ovsdb-server running?)';
  if (error.code === 'ECONNREFUSED') return 'connection refused (is ovsdb-server listening there?)';
  if (error.code === 'EACCES') return 'permission denied on the socket (run as root?)';
  return error.message;
}
