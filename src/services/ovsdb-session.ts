// The services' one long-lived connection to OVSDB: opened on first use, kept alive and reconnected by the
// client, reopened on the next call if the server was not there at all; failures become named D-Bus errors.
import { ServiceMethodError } from '../dbus/service-types.js';
import { OvsdbClient } from '../ovsdb/client.js';
import {
  OvsdbConnectionError,
  OvsdbRpcError,
  OvsdbTimeoutError,
  OvsdbTransactionError,
} from '../ovsdb/errors.js';
import { VswitchdTimeoutError } from '../ovsdb/vswitchd.js';

export const OVSDB_ERROR = {
  unavailable: 'org.openvswitch.ovsdb.Error.Unavailable',
  transaction: 'org.openvswitch.ovsdb.Error.TransactionFailed',
  timeout: 'org.openvswitch.ovsdb.Error.Timeout',
  invalidName: 'org.openvswitch.ovsdb.Error.InvalidName',
  noSuchBridge: 'org.openvswitch.ovsdb.Error.NoSuchBridge',
  noSuchPort: 'org.openvswitch.ovsdb.Error.NoSuchPort',
  bridgeExists: 'org.openvswitch.ovsdb.Error.BridgeExists',
  portExists: 'org.openvswitch.ovsdb.Error.PortExists',
  setupFailed: 'org.openvswitch.ovsdb.Error.SetupFailed',
} as const;

export class OvsdbSession {
  private connection: Promise<OvsdbClient> | undefined;

  constructor(
    readonly address: string,
    /** For each request, and for waiting until ovs-vswitchd has carried a change out. */
    readonly timeoutMs: number,
  ) {}

  /** Runs `work` with the connected client; OVSDB failures come out as D-Bus errors with the server's words. */
  async use<T>(work: (client: OvsdbClient) => Promise<T>): Promise<T> {
    this.connection ??= OvsdbClient.connect(this.address, { timeoutMs: this.timeoutMs, keepaliveMs: 5_000 });
    let client: OvsdbClient;
    try {
      client = await this.connection;
    } catch (error) {
      this.connection = undefined;
      throw new ServiceMethodError(OVSDB_ERROR.unavailable, (error as Error).message);
    }
    try {
      return await work(client);
    } catch (error) {
      throw asServiceError(error);
    }
  }

  close(): void {
    this.connection?.then((client) => client.close()).catch(() => {});
    this.connection = undefined;
  }
}

/** The D-Bus error name for an OVSDB failure, or undefined when `error` is not one. */
export function ovsdbErrorName(error: unknown): string | undefined {
  if (error instanceof OvsdbTransactionError || error instanceof OvsdbRpcError)
    return OVSDB_ERROR.transaction;
  if (error instanceof OvsdbTimeoutError || error instanceof VswitchdTimeoutError) return OVSDB_ERROR.timeout;
  if (error instanceof OvsdbConnectionError) return OVSDB_ERROR.unavailable;
  return undefined;
}

function asServiceError(error: unknown): unknown {
  const name = ovsdbErrorName(error);
  return name ? new ServiceMethodError(name, (error as Error).message) : error;
}
