// The OVS D-Bus services with a real ovs-vswitchd carrying the database out (in a network namespace of its own,
// userspace datapath): a call returns once ovs-vswitchd has applied it, as ovs-vsctl without --no-wait does, so
// the device is there (or gone) when the caller goes on; what ovs-vswitchd cannot set up is reported by name.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerLog } from './support/ledger-log.js';
import {
  AGENT,
  lines,
  OVSDB,
  OVSDB_ERROR,
  type ServeFixture,
  startServeFixture,
} from './support/serve-fixture.js';

let fixture: ServeFixture;
const ovs = (...args: string[]) => fixture.ovs(...args);

/** The network devices of ovs-vswitchd's namespace, as `ip` lists them. */
function devicesOfSwitch(): string[] {
  const netns = fixture.server.netns as string;
  const links = JSON.parse(execFileSync('ip', ['-n', netns, '-j', 'link', 'show'], { encoding: 'utf8' }));
  return (links as { ifname: string }[]).map((link) => link.ifname);
}

const configNumbers = () => ({
  next: Number(ovs('get', 'Open_vSwitch', '.', 'next_cfg')),
  current: Number(ovs('get', 'Open_vSwitch', '.', 'cur_cfg')),
});

beforeAll(async () => {
  // A short --timeout, for the test in which ovs-vswitchd is stopped and the service gives up waiting.
  fixture = await startServeFixture({ vswitchd: true, timeoutMs: 2_000 });
  // No kernel datapath here: the userspace one makes its internal ports as tap devices in the namespace.
  ovs('add-br', 'brnet', '--', 'set', 'Bridge', 'brnet', 'datapath_type=netdev');
});

afterAll(async () => {
  await fixture?.close();
});

describe('the OVS services with ovs-vswitchd running', () => {
  it('return from a change once ovs-vswitchd has carried it out: the device exists, then is gone', async () => {
    const before = configNumbers();
    const [port] = await fixture.call(AGENT, 'CreateContainerInterface', 'ss', ['brnet', 'db-1']);
    const after = configNumbers();
    expect(after.next).toBe(before.next + 1);
    expect(after.current).toBeGreaterThanOrEqual(after.next);
    expect(devicesOfSwitch()).toContain(port);
    expect(Number(ovs('get', 'Interface', String(port), 'ofport'))).toBeGreaterThan(0);

    await fixture.call(AGENT, 'RemoveContainerInterface', 'ss', ['brnet', 'db-1']);
    expect(configNumbers().current).toBe(after.next + 1);
    expect(devicesOfSwitch()).not.toContain(port);
  });

  it('reports a port ovs-vswitchd cannot set up with its reason, keeping it as ovs-vsctl does', async () => {
    await fixture.expectError(
      OVSDB,
      'AddPort',
      'ss',
      ['brnet', 'nodev0'],
      `${OVSDB_ERROR}.SetupFailed`,
      /nodev0: could not open network device nodev0 \(No such device\).*stays in the database/,
    );
    expect(lines(ovs('list-ports', 'brnet'))).toContain('nodev0');
    const entry = (await ledgerLog(fixture.root)).at(-1);
    expect(entry).toMatchObject({
      action: 'ovs-add-port',
      result: 'ok',
      details: { bridge: 'brnet', port: 'nodev0', setupProblems: expect.stringContaining('No such device') },
    });

    await fixture.call(OVSDB, 'DeletePort', 'ss', ['brnet', 'nodev0']);
    expect(lines(ovs('list-ports', 'brnet'))).not.toContain('nodev0');
  });

  it('reports a bridge whose datapath ovs-vswitchd cannot open (no kernel datapath here)', async () => {
    await fixture.expectError(
      OVSDB,
      'CreateBridge',
      's',
      ['brsys'],
      `${OVSDB_ERROR}.SetupFailed`,
      /could not set up brsys/,
    );
    expect(await fixture.call(OVSDB, 'BridgeExists', 's', ['brsys'])).toEqual([true]);
    await fixture.call(OVSDB, 'DeleteBridge', 's', ['brsys']);
    expect(lines(ovs('list-br'))).toEqual(['brnet']);
  });

  it('serves overlapping changes, each one waiting for ovs-vswitchd', async () => {
    const containers = ['web-1', 'web-2', 'web-3', 'web-4'];
    const create = (container: string) =>
      fixture.call(AGENT, 'CreateContainerInterface', 'ss', ['brnet', container]);
    const ports = (await Promise.all(containers.map(create))).map(([port]) => String(port));
    expect(devicesOfSwitch()).toEqual(expect.arrayContaining(ports));
    const remove = (container: string) =>
      fixture.call(AGENT, 'RemoveContainerInterface', 'ss', ['brnet', container]);
    await Promise.all(containers.map(remove));
    for (const port of ports) expect(devicesOfSwitch()).not.toContain(port);
  });

  it('says so when ovs-vswitchd does not catch up in time, the change committed and recorded as made', async () => {
    const vswitchd = fixture.server.vswitchdPid as number;
    process.kill(vswitchd, 'SIGSTOP');
    try {
      await fixture.expectError(
        AGENT,
        'CreateContainerInterface',
        'ss',
        ['brnet', 'late-1'],
        `${OVSDB_ERROR}.Timeout`,
        /the change is committed, but waiting for ovs-vswitchd failed: ovs-vswitchd did not carry out configuration/,
      );
    } finally {
      process.kill(vswitchd, 'SIGCONT');
    }
    const [port] = lines(ovs('list-ports', 'brnet'));
    expect(ovs('get', 'Port', String(port), 'external_ids:container_id').trim()).toBe('late-1');
    expect((await ledgerLog(fixture.root)).at(-1)).toMatchObject({
      action: 'ovs-create-container-port',
      result: 'ok',
      details: { container: 'late-1', vswitchdWait: expect.stringContaining('did not carry out') },
    });
    await fixture.call(AGENT, 'RemoveContainerInterface', 'ss', ['brnet', 'late-1']);
    expect(lines(ovs('list-ports', 'brnet'))).toEqual([]);
  });
});
