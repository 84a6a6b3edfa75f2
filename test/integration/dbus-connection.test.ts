// The D-Bus layer against a real dbus-daemon (the testbed's private host bus): calls, properties,
// introspection, signal subscriptions filtered by sender, closing with calls pending, and errors and
// timeouts that name the service and method.
import dbus from 'dbus-next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbusConnection, openDbusConnection } from '../../src/dbus/connection.js';
import { DbusCallError, DbusConnectError, DbusTimeoutError } from '../../src/dbus/errors.js';
import { parseIntrospectionXml } from '../../src/dbus/introspection.js';
import { BUS_PATH, BUS_SERVICE } from '../../src/dbus/well-known.js';
import { loadTestbed } from './testbed-env.js';

const PEER_NAME = 'dev.opdbus.TestPeer';
const EMITTER_NAME = 'dev.opdbus.TestEmitter';
const SIGNAL = { path: '/dev/opdbus/Emitter', iface: 'dev.opdbus.Emitter', member: 'Tick' };

/** dbus-next sets the unique name after Hello but does not declare it in its types. */
const uniqueNameOf = (bus: dbus.MessageBus) => (bus as unknown as { name: string }).name;

async function connectPeer(address: string): Promise<dbus.MessageBus> {
  const bus = dbus.sessionBus({ busAddress: address });
  await new Promise<void>((resolve) => bus.once('connect', () => resolve()));
  return bus;
}

function tick(bus: dbus.MessageBus, label: string): void {
  bus.send(dbus.Message.newSignal(SIGNAL.path, SIGNAL.iface, SIGNAL.member, 's', [label]));
}

describe('DbusConnection on a real dbus-daemon', () => {
  let address: string;
  let connection: DbusConnection;
  let peer: dbus.MessageBus;

  beforeAll(async () => {
    address = loadTestbed().hostBus.address;
    connection = await openDbusConnection(address, 2000);
    peer = await connectPeer(address);
    // A peer that never answers `Hang`, to prove calls are bounded by their timeout.
    peer.addMethodHandler((message: dbus.Message) => message.member === 'Hang');
  });

  afterAll(() => {
    connection.close();
    peer.disconnect();
  });

  it('calls methods and reads properties of the bus itself', async () => {
    const names = await connection.listNames();
    expect(names).toContain(BUS_SERVICE);
    const properties = await connection.getAllProperties(BUS_SERVICE, BUS_PATH, BUS_SERVICE);
    expect(properties.Features).toEqual(expect.any(Array));
    expect(await connection.getProperty(BUS_SERVICE, BUS_PATH, BUS_SERVICE, 'Interfaces')).toEqual(
      expect.any(Array),
    );
  });

  it('introspects an object into interfaces and methods', async () => {
    const node = parseIntrospectionXml(await connection.introspect(BUS_SERVICE, BUS_PATH));
    const bus = node.interfaces.find((iface) => iface.name === BUS_SERVICE);
    expect(bus?.methods.map((method) => method.name)).toEqual(
      expect.arrayContaining(['ListNames', 'GetNameOwner', 'AddMatch']),
    );
  });

  it('delivers subscribed signals and stops after unsubscribing', async () => {
    const owners: unknown[][] = [];
    const unsubscribe = await connection.subscribe(
      { iface: BUS_SERVICE, member: 'NameOwnerChanged' },
      (event) => owners.push(event.body),
    );
    await peer.requestName(PEER_NAME, 0);
    await expect
      .poll(() => owners.some((body) => body[0] === PEER_NAME && body[2] === uniqueNameOf(peer)))
      .toBe(true);
    await unsubscribe();
    const seen = owners.length;
    await peer.releaseName(PEER_NAME);
    expect(await connection.nameOwner(PEER_NAME)).toBeUndefined();
    expect(owners.length).toBe(seen);
  });

  it('delivers only the signals of the subscribed sender when two peers emit the same signal', async () => {
    const one = await connectPeer(address);
    const two = await connectPeer(address);
    try {
      await one.requestName(EMITTER_NAME, 0);
      const byName: unknown[] = [];
      const byUniqueName: unknown[] = [];
      const unsubscribeName = await connection.subscribe({ sender: EMITTER_NAME, ...SIGNAL }, (event) =>
        byName.push(event.body[0]),
      );
      const unsubscribeUnique = await connection.subscribe(
        { sender: uniqueNameOf(two), ...SIGNAL },
        (event) => byUniqueName.push(event.body[0]),
      );
      tick(two, 'two');
      tick(one, 'one');
      // Both signals reach this connection (either rule matches); each subscription keeps its sender's.
      await expect.poll(() => byName.length > 0 && byUniqueName.length > 0).toBe(true);
      expect(byName).toEqual(['one']);
      expect(byUniqueName).toEqual(['two']);

      // The well-known name changes hands: its new owner's signals follow it, the old owner's do not.
      await one.releaseName(EMITTER_NAME);
      await two.requestName(EMITTER_NAME, 0);
      tick(one, 'one again');
      tick(two, 'two again');
      await expect.poll(() => byName.length).toBe(2);
      expect(byName).toEqual(['one', 'two again']);
      await unsubscribeName();
      await unsubscribeUnique();
    } finally {
      one.disconnect();
      two.disconnect();
    }
  });

  it('delivers the signals of the bus itself when it is the sender', async () => {
    const owners: unknown[] = [];
    const unsubscribe = await connection.subscribe(
      { sender: BUS_SERVICE, path: BUS_PATH, iface: BUS_SERVICE, member: 'NameOwnerChanged' },
      (event) => owners.push(event.body[0]),
    );
    await peer.requestName(PEER_NAME, 0);
    await expect.poll(() => owners.includes(PEER_NAME)).toBe(true);
    await peer.releaseName(PEER_NAME);
    await unsubscribe();
  });

  it('rejects a pending call at once when the connection closes', async () => {
    const closing = await openDbusConnection(address, 2000);
    const call = closing.call(uniqueNameOf(peer), '/dev/opdbus/Peer', 'dev.opdbus.Peer', 'Hang', {
      timeoutMs: 10_000,
    });
    const started = performance.now();
    closing.close();
    await expect(call).rejects.toThrow(/dev\.opdbus\.Peer\.Hang: connection closed before the reply came/);
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(closing.listNames()).rejects.toThrow(/connection is closed/);
  });

  it('names the service, path and method in D-Bus errors', async () => {
    const call = connection.call(BUS_SERVICE, BUS_PATH, BUS_SERVICE, 'NoSuchMethod');
    await expect(call).rejects.toBeInstanceOf(DbusCallError);
    await expect(call).rejects.toThrow(
      /^org\.freedesktop\.DBus \/org\/freedesktop\/DBus org\.freedesktop\.DBus\.NoSuchMethod: org\.freedesktop\.DBus\.Error\.UnknownMethod/,
    );
    await expect(connection.call('dev.opdbus.Nobody', '/', 'dev.opdbus.Nobody', 'Ping')).rejects.toThrow(
      /ServiceUnknown/,
    );
  });

  it('gives up on a call that gets no reply, after its timeout', async () => {
    const call = connection.call(uniqueNameOf(peer), '/dev/opdbus/Peer', 'dev.opdbus.Peer', 'Hang', {
      timeoutMs: 300,
    });
    await expect(call).rejects.toBeInstanceOf(DbusTimeoutError);
    await expect(call).rejects.toThrow(/dev\.opdbus\.Peer\.Hang: no reply within 300 ms/);
  });

  it('fails to connect with the address and the cause', async () => {
    await expect(openDbusConnection('unix:path=/run/op-dbus-testbed/no-such-socket', 500)).rejects.toThrow(
      DbusConnectError,
    );
    await expect(openDbusConnection('unix:path=/run/op-dbus-testbed/no-such-socket', 500)).rejects.toThrow(
      /cannot connect to D-Bus at unix:path=\/run\/op-dbus-testbed\/no-such-socket: socket .* does not exist/,
    );
  });
});
