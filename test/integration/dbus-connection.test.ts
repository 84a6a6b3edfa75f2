// The D-Bus layer against a real dbus-daemon (the testbed's private host bus): calls, properties,
// introspection, signal subscriptions, and errors and timeouts that name the service and method.
import dbus from 'dbus-next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbusConnection, openDbusConnection } from '../../src/dbus/connection.js';
import { DbusCallError, DbusConnectError, DbusTimeoutError } from '../../src/dbus/errors.js';
import { parseIntrospectionXml } from '../../src/dbus/introspection.js';
import { loadTestbed } from './testbed-env.js';

const PEER_NAME = 'dev.opdbus.TestPeer';

/** dbus-next sets the unique name after Hello but does not declare it in its types. */
const uniqueNameOf = (bus: dbus.MessageBus) => (bus as unknown as { name: string }).name;

describe('DbusConnection on a real dbus-daemon', () => {
  let connection: DbusConnection;
  let peer: dbus.MessageBus;

  beforeAll(async () => {
    const address = loadTestbed().hostBus.address;
    connection = await openDbusConnection(address, 2000);
    peer = dbus.sessionBus({ busAddress: address });
    // A peer that never answers `Hang`, to prove calls are bounded by their timeout.
    peer.addMethodHandler((message: dbus.Message) => message.member === 'Hang');
    await new Promise<void>((resolve) => peer.once('connect', () => resolve()));
  });

  afterAll(() => {
    connection.close();
    peer.disconnect();
  });

  it('calls methods and reads properties of the bus itself', async () => {
    const names = await connection.listNames();
    expect(names).toContain('org.freedesktop.DBus');
    const properties = await connection.getAllProperties(
      'org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus',
    );
    expect(properties.Features).toEqual(expect.any(Array));
    expect(
      await connection.getProperty(
        'org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus',
        'Interfaces',
      ),
    ).toEqual(expect.any(Array));
  });

  it('introspects an object into interfaces and methods', async () => {
    const node = parseIntrospectionXml(
      await connection.introspect('org.freedesktop.DBus', '/org/freedesktop/DBus'),
    );
    const bus = node.interfaces.find((iface) => iface.name === 'org.freedesktop.DBus');
    expect(bus?.methods.map((method) => method.name)).toEqual(
      expect.arrayContaining(['ListNames', 'GetNameOwner', 'AddMatch']),
    );
  });

  it('delivers subscribed signals and stops after unsubscribing', async () => {
    const owners: unknown[][] = [];
    const unsubscribe = await connection.subscribe(
      { iface: 'org.freedesktop.DBus', member: 'NameOwnerChanged' },
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

  it('names the service, path and method in D-Bus errors', async () => {
    const call = connection.call(
      'org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus',
      'NoSuchMethod',
    );
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
