// The service host against a real dbus-daemon, with busctl and dbus-monitor as independent clients:
// introspection, tree, calls, every kind of error reply, properties, signals and the caller's uid.
import dbus from 'dbus-next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServiceHost, type ServiceHost, ServiceNameError } from '../../src/dbus/service-host.js';
import { type CallerInfo, ServiceMethodError, type ServiceObject } from '../../src/dbus/service-types.js';
import { busctl, type PrivateBus, startMonitor, startPrivateBus } from './support/policy-bus.js';

const NAME = 'org.opdbus.ServiceHostTest';
const PATH = '/org/opdbus/ServiceHostTest';
const IFACE = 'org.opdbus.ServiceHostTest';
const NOBODY = { uid: 65534, gid: 65534 };

let bus: PrivateBus;
let host: ServiceHost;
const recorded: string[] = [];
let recordedWaiter: (() => void) | undefined;

function testService(): ServiceObject {
  return {
    path: PATH,
    interfaces: [
      {
        name: IFACE,
        methods: [
          {
            name: 'Repeat',
            inArgs: [
              { name: 'text', type: 's' },
              { name: 'count', type: 'u' },
            ],
            outArgs: [{ name: 'copies', type: 'as' }],
            handler: async ([text, count]) => [Array.from({ length: Number(count) }, () => String(text))],
          },
          {
            name: 'Mixed',
            inArgs: [],
            outArgs: [
              { name: 'big', type: 't' },
              { name: 'negative', type: 'x' },
              { name: 'flag', type: 'b' },
              { name: 'info', type: 'a{sv}' },
            ],
            handler: async () => [2n ** 64n - 1n, -5, true, { name: 'br0', ports: 2 }],
          },
          {
            name: 'WhoAmI',
            inArgs: [],
            outArgs: [
              { name: 'uid', type: 'u' },
              { name: 'sender', type: 's' },
            ],
            handler: async (_args, caller: CallerInfo) => [caller.uid, caller.sender],
          },
          {
            name: 'Refuse',
            inArgs: [],
            outArgs: [],
            handler: async () => {
              throw new ServiceMethodError('org.opdbus.ServiceHostTest.Error.Refused', 'refused on purpose');
            },
          },
          {
            name: 'Crash',
            inArgs: [],
            outArgs: [],
            handler: async () => {
              throw new TypeError('handler blew up');
            },
          },
          {
            name: 'WrongReply',
            inArgs: [],
            outArgs: [{ name: 'count', type: 'u' }],
            handler: async () => ['not a number'],
          },
          {
            name: 'Record',
            inArgs: [{ name: 'text', type: 's' }],
            outArgs: [],
            handler: async ([text]) => {
              recorded.push(String(text));
              recordedWaiter?.();
              return [];
            },
          },
        ],
        properties: [
          { name: 'Version', type: 's', get: () => '1.2.3' },
          { name: 'Counter', type: 't', get: async () => 9007199254740993n },
        ],
        signals: [{ name: 'Happened', args: [{ name: 'what', type: 's' }] }],
      },
    ],
  };
}

const call = (member: string, ...args: string[]) =>
  busctl(bus.address, ['call', NAME, PATH, IFACE, member, ...args]);

beforeAll(async () => {
  bus = await startPrivateBus({ kind: 'allow-all' });
  host = await openServiceHost(bus.address, 5000);
  host.export(testService());
  host.export({
    path: `${PATH}/child`,
    interfaces: [{ name: IFACE, methods: [], properties: [], signals: [] }],
  });
  await host.requestName(NAME);
});

afterAll(async () => {
  host?.close();
  await bus?.stop();
});

describe('service host seen by busctl', () => {
  it('introspects with methods, properties and signals and their signatures', async () => {
    const result = await busctl(bus.address, ['introspect', NAME, PATH]);
    expect(result.code).toBe(0);
    const rows = result.stdout.split('\n').map((line) => line.trim().split(/\s+/).slice(0, 4));
    expect(rows).toContainEqual([IFACE, 'interface', '-', '-']);
    expect(rows).toContainEqual(['.Repeat', 'method', 'su', 'as']);
    expect(rows).toContainEqual(['.Mixed', 'method', '-', 'txba{sv}']);
    expect(rows).toContainEqual(['.Version', 'property', 's', '"1.2.3"']);
    expect(rows).toContainEqual(['.Counter', 'property', 't', '9007199254740993']);
    expect(rows).toContainEqual(['.Happened', 'signal', 's', '-']);
    expect(rows).toContainEqual(['.Get', 'method', 'ss', 'v']);
    expect(rows).toContainEqual(['.Ping', 'method', '-', '-']);
  });

  it('walks the object tree from /', async () => {
    const result = await busctl(bus.address, ['tree', '--list', NAME]);
    expect(result.stdout.trim().split('\n')).toEqual([
      '/',
      '/org',
      '/org/opdbus',
      '/org/opdbus/ServiceHostTest',
      '/org/opdbus/ServiceHostTest/child',
    ]);
  });

  it('returns the values a handler gives, marshalled by the declared types', async () => {
    expect((await call('Repeat', 'su', 'hi', '2')).stdout).toBe('as 2 "hi" "hi"\n');
    expect((await call('Mixed')).stdout).toBe(
      'txba{sv} 18446744073709551615 -5 true 2 "name" s "br0" "ports" x 2\n',
    );
  });

  it.each([
    [
      ['Repeat', 's', 'hi'],
      'org.freedesktop.DBus.Error.InvalidArgs',
      "expects arguments of signature 'su', got 's'",
    ],
    [['Nope'], 'org.freedesktop.DBus.Error.UnknownMethod', `${IFACE} has no method Nope`],
    [['Refuse'], 'org.opdbus.ServiceHostTest.Error.Refused', 'refused on purpose'],
    [['Crash'], 'org.freedesktop.DBus.Error.Failed', 'handler blew up'],
    [
      ['WrongReply'],
      'org.freedesktop.DBus.Error.Failed',
      `reply of ${IFACE}.WrongReply, argument 'count': expected an integer (u)`,
    ],
  ])('answers %j with %s', async (args, errorName, message) => {
    const [member, ...rest] = args as [string, ...string[]];
    const result = await call(member, ...rest);
    expect(result.code).not.toBe(0);
    expect(result.errorName).toBe(errorName);
    expect(result.stderr).toMatch(/^Call failed: /m);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('answers unknown objects and interfaces with their errors', async () => {
    const unknownObject = await busctl(bus.address, [
      'call',
      NAME,
      '/nowhere',
      IFACE,
      'Repeat',
      'su',
      'a',
      '1',
    ]);
    expect(unknownObject.errorName).toBe('org.freedesktop.DBus.Error.UnknownObject');
    const unknownInterface = await busctl(bus.address, ['call', NAME, PATH, 'org.opdbus.Other', 'Repeat']);
    expect(unknownInterface.errorName).toBe('org.freedesktop.DBus.Error.UnknownInterface');
  });

  it('serves read-only properties', async () => {
    const version = await busctl(bus.address, ['get-property', NAME, PATH, IFACE, 'Version']);
    expect(version.stdout).toBe('s "1.2.3"\n');
    const set = await busctl(bus.address, ['set-property', NAME, PATH, IFACE, 'Version', 's', '2']);
    expect(set.errorName).toBe('org.freedesktop.DBus.Error.PropertyReadOnly');
    const unknown = await busctl(bus.address, ['get-property', NAME, PATH, IFACE, 'Nope']);
    expect(unknown.errorName).toBe('org.freedesktop.DBus.Error.UnknownProperty');
    const all = await busctl(bus.address, [
      'call',
      NAME,
      PATH,
      'org.freedesktop.DBus.Properties',
      'GetAll',
      's',
      IFACE,
    ]);
    expect(all.stdout).toBe('a{sv} 2 "Version" s "1.2.3" "Counter" t 9007199254740993\n');
  });

  it('answers Peer methods', async () => {
    expect((await busctl(bus.address, ['call', NAME, '/', 'org.freedesktop.DBus.Peer', 'Ping'])).code).toBe(
      0,
    );
    const id = await busctl(bus.address, ['call', NAME, PATH, 'org.freedesktop.DBus.Peer', 'GetMachineId']);
    expect(id.stdout).toMatch(/^s "[0-9a-f]{32}"\n$/);
  });

  it('tells the caller uid the bus vouches for: root, and nobody through setpriv', async () => {
    expect((await call('WhoAmI')).stdout).toMatch(/^us 0 ":1\.\d+"\n$/);
    const asNobody = await busctl(bus.address, ['call', NAME, PATH, IFACE, 'WhoAmI'], NOBODY);
    expect(asNobody.stderr).not.toContain('Call failed');
    expect(asNobody.stdout).toMatch(/^us 65534 ":1\.\d+"\n$/);
  });

  it('broadcasts declared signals and PropertiesChanged', async () => {
    const monitor = await startMonitor(bus.address, [`type='signal',sender='${NAME}'`]);
    try {
      host.emitSignal(PATH, IFACE, 'Happened', ['boom']);
      await host.emitPropertiesChanged(PATH, IFACE, ['Version']);
      await monitor.waitFor(/member=PropertiesChanged[\s\S]*string "1\.2\.3"/);
      expect(monitor.output()).toMatch(
        /path=\/org\/opdbus\/ServiceHostTest; interface=org\.opdbus\.ServiceHostTest; member=Happened\n\s+string "boom"/,
      );
    } finally {
      await monitor.stop();
    }
    expect(() => host.emitSignal(PATH, IFACE, 'Undeclared', [])).toThrow('no such signal is exported there');
    expect(() => host.emitSignal(PATH, IFACE, 'Happened', [5])).toThrow("argument 'what': expected a string");
  });

  it('runs a call that expects no reply without replying', async () => {
    // busctl --expect-reply=no disconnects at once, before the host can ask the bus who it was (and a
    // call nobody can be named for is not run), so a peer that stays connected sends it.
    const peer = dbus.sessionBus({ busAddress: bus.address });
    await new Promise<void>((resolve) => peer.once('connect', () => resolve()));
    const repliedTo: number[] = [];
    peer.on('message', (message: dbus.Message) => {
      if (message.type !== dbus.MessageType.SIGNAL) repliedTo.push(Number(message.replySerial));
    });
    const record = (text: string, flags: number) =>
      new dbus.Message({
        destination: NAME,
        path: PATH,
        interface: IFACE,
        member: 'Record',
        signature: 's',
        body: [text],
        flags,
      });
    try {
      const handled = new Promise<void>((resolve) => {
        recordedWaiter = resolve;
      });
      const quiet = record('quiet', dbus.MessageFlag.NO_REPLY_EXPECTED);
      peer.send(quiet);
      await handled;
      // Replies leave the host in order: once the later call's reply is in, one to the quiet call would be too.
      const loud = record('loud', 0);
      await peer.call(loud);
      expect(recorded).toEqual(['quiet', 'loud']);
      expect(repliedTo).toContain(loud.serial);
      expect(repliedTo).not.toContain(quiet.serial);
    } finally {
      recordedWaiter = undefined;
      peer.disconnect();
    }
  });
});

describe('owning names', () => {
  it('fails at once when another connection owns the name, saying so', async () => {
    const second = await openServiceHost(bus.address, 5000);
    try {
      const attempt = second.requestName(NAME);
      await expect(attempt).rejects.toBeInstanceOf(ServiceNameError);
      await expect(attempt).rejects.toThrow(
        `${NAME} is already owned by another connection (${host.uniqueName})`,
      );
    } finally {
      second.close();
    }
  });

  it('refuses a name that is not a well-known bus name', async () => {
    await expect(host.requestName(':1.99')).rejects.toThrow("':1.99' is not a valid well-known D-Bus name");
  });
});
