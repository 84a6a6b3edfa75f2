// `op-dbus dbus serve` on an allow-all private bus with its own ovsdb-server and a temporary root (for the
// ledger): the setting of the tests that exercise the services themselves rather than their policy.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { expect } from 'vitest';
import { ovsVsctl, type PrivateOvsdbServer, startOvsdbServer } from '../../testbed/ovsdb-server.mjs';
import {
  callService,
  callValues,
  type ServeProcess,
  type ServiceAddress,
  startDbusServe,
} from './dbus-serve-process.js';
import { type PrivateBus, startPrivateBus } from './policy-bus.js';

/** The three services as issue 5 names them, written out rather than taken from the code under test. */
export const OVSDB: ServiceAddress = {
  busName: 'org.openvswitch.ovsdb',
  objectPath: '/org/openvswitch/ovsdb',
  interfaceName: 'org.openvswitch.ovsdb',
};
export const AGENT: ServiceAddress = {
  busName: 'dev.ovs.PortAgent1',
  objectPath: '/dev/ovs/PortAgent1',
  interfaceName: 'dev.ovs.PortAgent1',
};
export const OPDBUS: ServiceAddress = {
  busName: 'org.opdbus',
  objectPath: '/org/opdbus',
  interfaceName: 'org.opdbus',
};
export const OVSDB_ERROR = 'org.openvswitch.ovsdb.Error';
/** The version of the package under test, which org.opdbus reports. */
export const PACKAGE_VERSION = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export const lines = (text: string): string[] => text.split('\n').filter(Boolean);

/** Every Bridge, Port and Interface name as ovs-vsctl lists them: what "nothing changed" is checked on. */
export const ovsRowNames = (endpoint: string): string[] =>
  ['Bridge', 'Port', 'Interface'].map((table) =>
    ovsVsctl(endpoint, '--columns=name', '--bare', 'list', table),
  );

export interface ServeFixture {
  bus: PrivateBus;
  server: PrivateOvsdbServer;
  /** The Machine root serve records its ledger under. */
  root: string;
  serve: ServeProcess;
  /** ovs-vsctl against the fixture's ovsdb-server. */
  ovs(...args: string[]): string;
  /** The reply's values of a call that must succeed. */
  call(service: ServiceAddress, member: string, signature?: string, values?: string[]): Promise<unknown[]>;
  /** Asserts the call fails with D-Bus error `errorName` and a message matching `message`. */
  expectError(
    service: ServiceAddress,
    member: string,
    signature: string,
    values: string[],
    errorName: string,
    message: string | RegExp,
  ): Promise<void>;
  /** Stops serve, the bus and ovsdb-server, and removes the root; safe after a failed start. */
  close(): Promise<void>;
}

/**
 * `vswitchd`: with an ovs-vswitchd carrying the database out (see startOvsdbServer); `timeoutMs`: serve's
 * --timeout.
 */
export async function startServeFixture({
  vswitchd = false,
  timeoutMs,
}: {
  vswitchd?: boolean;
  timeoutMs?: number;
} = {}): Promise<ServeFixture> {
  const bus = await startPrivateBus({ kind: 'allow-all' });
  let server: PrivateOvsdbServer | undefined;
  let root: string | undefined;
  let serve: ServeProcess | undefined;
  const close = async () => {
    await serve?.stop();
    await bus.stop();
    server?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  };
  try {
    server = startOvsdbServer({ vswitchd });
    root = await mkdtemp('/tmp/opdbus-serve-root-');
    const timeout = timeoutMs === undefined ? [] : ['--timeout', String(timeoutMs)];
    serve = await startDbusServe([
      '--bus-address',
      bus.address,
      '--ovsdb',
      server.endpoint,
      '--root',
      root,
      ...timeout,
    ]);
  } catch (error) {
    await close();
    throw error;
  }
  const endpoint = server.endpoint;
  return {
    bus,
    server,
    root,
    serve,
    ovs: (...args) => ovsVsctl(endpoint, ...args),
    call: (service, member, signature, values) => callValues(bus.address, service, member, signature, values),
    async expectError(service, member, signature, values, errorName, message) {
      const result = await callService(bus.address, service, member, signature, values);
      expect(result.code, `${member}(${values.join(', ')}) succeeded`).not.toBe(0);
      expect(result.errorName, result.stderr).toBe(errorName);
      expect(result.stderr).toMatch(message);
    },
    close,
  };
}
