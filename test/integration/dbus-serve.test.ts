// `op-dbus dbus serve` end to end on a private bus with a real ovsdb-server: busctl as the client
// (introspection, tree, calls, errors by name), ovs-vsctl and ovsdb-tool as independent witnesses of every
// change, the ledger as an operator reads it, and a clean stop on SIGTERM. dev.ovs.PortAgent1 and OVSDB outages
// are in dbus-serve-port-agent.test.ts, org.opdbus on a testbed target in dbus-serve-opdbus.test.ts.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameHasOwner, startDbusServe } from './support/dbus-serve-process.js';
import { ledgerLog } from './support/ledger-log.js';
import { busctl, startPrivateBus } from './support/policy-bus.js';
import {
  AGENT,
  OVSDB_ERROR as ERROR,
  lines,
  OPDBUS,
  OVSDB,
  ovsRowNames,
  PACKAGE_VERSION,
  type ServeFixture,
  startServeFixture,
} from './support/serve-fixture.js';
import { waitUntil } from './support/wait-until.js';

/**
 * Each interface as issue 5 specifies it, in `busctl introspect`'s columns: name, type, signature and (for
 * methods and signals) result. Written out here rather than taken from the contracts under test.
 */
const SPECIFIED_MEMBERS: Record<string, string[]> = {
  [OVSDB.interfaceName]: [
    '.AddPort method ss -',
    '.BridgeExists method s b',
    '.CreateBridge method s -',
    '.DeleteBridge method s -',
    '.DeletePort method ss -',
    '.ListBridgePorts method s as',
    '.ListBridges method - as',
  ],
  [AGENT.interfaceName]: [
    '.CreateContainerInterface method ss s',
    '.GetBlockchainStats method - s',
    '.ListPorts method - as',
    '.RemoveContainerInterface method ss -',
  ],
  [OPDBUS.interfaceName]: [
    '.ApplyState method s s',
    '.DriftDetected signal s -',
    '.LastApply property s',
    '.Plan method s s',
    '.Query method s s',
    '.StateApplied signal s -',
    '.Verify method s s',
    '.Version property s',
  ],
};
const STANDARD_INTERFACES = [
  'org.freedesktop.DBus.Introspectable',
  'org.freedesktop.DBus.Peer',
  'org.freedesktop.DBus.Properties',
];

let fixture: ServeFixture;
const ovs = (...args: string[]) => fixture.ovs(...args);
const call: ServeFixture['call'] = (...args) => fixture.call(...args);
const expectError: ServeFixture['expectError'] = (...args) => fixture.expectError(...args);
const ovsRows = () => ovsRowNames(fixture.server.endpoint);

/** The transaction comments in the database file, oldest first, as ovsdb-tool reads them. */
function transactionComments(): string[] {
  const log = execFileSync('ovsdb-tool', ['show-log', fixture.server.db], { encoding: 'utf8' });
  return [...log.matchAll(/^record \d+: \S+ \S+ "(.*)"$/gm)].map((match) => match[1] as string);
}

beforeAll(async () => {
  fixture = await startServeFixture();
});

afterAll(async () => {
  await fixture?.close();
});

describe('op-dbus dbus serve seen through busctl', () => {
  it('introspects each object as exactly the specified interface, beside the standard ones', async () => {
    for (const service of [OVSDB, AGENT, OPDBUS]) {
      const { stdout } = await busctl(fixture.bus.address, [
        'introspect',
        service.busName,
        service.objectPath,
      ]);
      const rows = lines(stdout)
        .slice(1)
        .map((line) => line.trim().split(/\s+/));
      expect(rows.filter((row) => row[1] === 'interface').map((row) => row[0])).toEqual(
        [...STANDARD_INTERFACES, service.interfaceName].sort(),
      );
      const own = await busctl(fixture.bus.address, [
        'introspect',
        service.busName,
        service.objectPath,
        service.interfaceName,
      ]);
      const members = lines(own.stdout)
        .slice(1)
        .map((line) => line.trim().split(/\s+/))
        .map((row) => (row[1] === 'property' ? row.slice(0, 3) : row.slice(0, 4)).join(' '));
      expect(members.sort()).toEqual(SPECIFIED_MEMBERS[service.interfaceName]);
    }
  });

  it('shows the three objects in busctl tree, whichever name is asked', async () => {
    for (const service of [OVSDB, AGENT, OPDBUS]) {
      const { stdout } = await busctl(fixture.bus.address, ['tree', '--list', service.busName]);
      expect(lines(stdout)).toEqual([
        '/',
        '/dev',
        '/dev/ovs',
        '/dev/ovs/PortAgent1',
        '/org',
        '/org/opdbus',
        '/org/openvswitch',
        '/org/openvswitch/ovsdb',
      ]);
    }
  });

  it("reports op-dbus's version as the Version property", async () => {
    const { stdout } = await busctl(fixture.bus.address, [
      'get-property',
      OPDBUS.busName,
      OPDBUS.objectPath,
      OPDBUS.interfaceName,
      'Version',
    ]);
    expect(stdout.trim()).toBe(`s "${PACKAGE_VERSION}"`);
  });
});

describe('org.openvswitch.ovsdb against a real ovsdb-server', () => {
  it('creates, lists and deletes bridges and ports, ovs-vsctl agreeing after each call', async () => {
    expect(await call(OVSDB, 'ListBridges')).toEqual([[]]);
    await call(OVSDB, 'CreateBridge', 's', ['brserve0']);
    expect(lines(ovs('list-br'))).toEqual(['brserve0']);
    expect(ovs('get', 'Interface', 'brserve0', 'type').trim()).toBe('internal');
    await call(OVSDB, 'CreateBridge', 's', ['brserve1']);
    expect(await call(OVSDB, 'ListBridges')).toEqual([['brserve0', 'brserve1']]);
    expect(await call(OVSDB, 'BridgeExists', 's', ['brserve0'])).toEqual([true]);
    expect(await call(OVSDB, 'BridgeExists', 's', ['brserve9'])).toEqual([false]);

    await call(OVSDB, 'AddPort', 'ss', ['brserve0', 'eth-s0']);
    expect(lines(ovs('list-ports', 'brserve0'))).toEqual(['eth-s0']);
    expect(ovs('port-to-br', 'eth-s0').trim()).toBe('brserve0');
    expect(await call(OVSDB, 'ListBridgePorts', 's', ['brserve0'])).toEqual([['eth-s0']]);
    expect(await call(OVSDB, 'ListBridgePorts', 's', ['brserve1'])).toEqual([[]]);

    await call(OVSDB, 'DeletePort', 'ss', ['brserve0', 'eth-s0']);
    expect(ovs('list-ports', 'brserve0')).toBe('');
    await call(OVSDB, 'DeleteBridge', 's', ['brserve0']);
    expect(lines(ovs('list-br'))).toEqual(['brserve1']);
    await call(OVSDB, 'DeleteBridge', 's', ['brserve1']);
    // The server collects the rows no bridge refers to any more, as after ovs-vsctl del-br.
    expect(ovsRows()).toEqual(['', '', '']);
  });

  it('says in each transaction comment who made the change, as ovsdb-tool show-log reads it', () => {
    expect(transactionComments().filter((comment) => comment.startsWith('op-dbus'))).toEqual([
      'op-dbus (D-Bus, uid 0): add-br brserve0',
      'op-dbus (D-Bus, uid 0): add-br brserve1',
      'op-dbus (D-Bus, uid 0): add-port brserve0 eth-s0',
      'op-dbus (D-Bus, uid 0): del-port brserve0 eth-s0',
      'op-dbus (D-Bus, uid 0): del-br brserve0',
      'op-dbus (D-Bus, uid 0): del-br brserve1',
    ]);
  });

  it('records each change in the ledger with the calling uid', async () => {
    const entries = await ledgerLog(fixture.root);
    expect(entries.map(({ actor, action, result, details }) => ({ actor, action, result, details }))).toEqual(
      [
        ['ovs-create-bridge', { bridge: 'brserve0' }],
        ['ovs-create-bridge', { bridge: 'brserve1' }],
        ['ovs-add-port', { bridge: 'brserve0', port: 'eth-s0' }],
        ['ovs-delete-port', { bridge: 'brserve0', port: 'eth-s0' }],
        ['ovs-delete-bridge', { bridge: 'brserve0' }],
        ['ovs-delete-bridge', { bridge: 'brserve1' }],
      ].map(([action, details]) => ({
        actor: expect.stringMatching(/^dbus uid 0\b/),
        action,
        result: 'ok',
        // The first entry also names the ledger's signing key.
        details: expect.objectContaining(details),
      })),
    );
  });

  it('refuses names OVS and Linux would not accept with InvalidName, sending nothing', async () => {
    const rowsBefore = ovsRows();
    const entriesBefore = (await ledgerLog(fixture.root)).length;
    const badNames: [string, RegExp][] = [
      ['', /must not be empty/],
      ['a/b', /must not contain "\/"/],
      ['..', /must not be "\." or "\.\."/],
      ['br-sixteen-chars', /at most 15 bytes/],
      ['br 0', /whitespace or control characters/],
      ['br:0', /must not contain ":"/],
    ];
    for (const [name, problem] of badNames) {
      await expectError(OVSDB, 'CreateBridge', 's', [name], `${ERROR}.InvalidName`, problem);
      await expectError(OVSDB, 'AddPort', 'ss', ['brserve0', name], `${ERROR}.InvalidName`, problem);
    }
    expect(ovsRows()).toEqual(rowsBefore);
    expect(await ledgerLog(fixture.root)).toHaveLength(entriesBefore);
  });

  it('names what does not exist or exists already', async () => {
    await expectError(
      OVSDB,
      'DeleteBridge',
      's',
      ['brnone'],
      `${ERROR}.NoSuchBridge`,
      /no bridge named "brnone"/,
    );
    await expectError(OVSDB, 'AddPort', 'ss', ['brnone', 'p0'], `${ERROR}.NoSuchBridge`, /brnone/);
    await expectError(OVSDB, 'ListBridgePorts', 's', ['brnone'], `${ERROR}.NoSuchBridge`, /brnone/);
    await call(OVSDB, 'CreateBridge', 's', ['brdup']);
    try {
      await expectError(OVSDB, 'CreateBridge', 's', ['brdup'], `${ERROR}.BridgeExists`, /already exists/);
      await call(OVSDB, 'AddPort', 'ss', ['brdup', 'pdup']);
      await expectError(OVSDB, 'AddPort', 'ss', ['brdup', 'pdup'], `${ERROR}.PortExists`, /"pdup" already/);
      await expectError(
        OVSDB,
        'DeletePort',
        'ss',
        ['brdup', 'pnone'],
        `${ERROR}.NoSuchPort`,
        /no port "pnone"/,
      );
      expect(lines(ovs('list-ports', 'brdup'))).toEqual(['pdup']);
      expect(lines(ovs('list-br'))).toEqual(['brdup']);
    } finally {
      ovs('--if-exists', 'del-br', 'brdup');
    }
    const failed = (await ledgerLog(fixture.root)).filter((entry) => entry.result === 'failed');
    expect(failed.map((entry) => entry.action)).toEqual([
      'ovs-delete-bridge',
      'ovs-add-port',
      'ovs-create-bridge',
      'ovs-add-port',
      'ovs-delete-port',
    ]);
  });
});

describe('stopping op-dbus dbus serve', () => {
  it('exits 0 on SIGTERM and gives up its names', async () => {
    expect(await fixture.serve.stop()).toEqual({ code: 0, signal: null });
    expect(fixture.serve.log()).toContain('SIGTERM: stopping');
    for (const service of [OVSDB, AGENT, OPDBUS])
      expect(await nameHasOwner(fixture.bus.address, service.busName), service.busName).toBe(false);
  });

  it('exits 1 saying so when its bus goes away, so systemd restarts it', async () => {
    const bus = await startPrivateBus({ kind: 'allow-all' });
    const root = await mkdtemp('/tmp/opdbus-serve-lost-bus-');
    try {
      const serve = await startDbusServe([
        '--bus-address',
        bus.address,
        '--root',
        root,
        '--ovsdb',
        fixture.server.endpoint,
      ]);
      await bus.stop();
      await waitUntil('serve to exit after its bus stopped', () => !serve.running());
      expect(await serve.stop()).toEqual({ code: 1, signal: null });
      expect(serve.log()).toMatch(/op-dbus: error: lost the connection to the bus at unix:path=.*/);
      expect(serve.log()).not.toMatch(/\n\s+at /);
    } finally {
      await bus.stop();
      await rm(root, { recursive: true, force: true });
    }
  });
});
