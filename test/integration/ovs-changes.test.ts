// Changes to Open vSwitch against a real ovsdb-server, with another real client (ovs-vsctl) acting between
// op-dbus's read and its transaction. The D-Bus methods' guards make the server refuse a change whose premise
// no longer holds, with the error a caller expects, and nothing is committed; the ovs plugin's apply reads
// again and rebuilds its transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceMethodError } from '../../src/dbus/service-types.js';
import type { Change } from '../../src/engine/change.js';
import { Machine } from '../../src/machine/machine.js';
import { OvsdbClient } from '../../src/ovsdb/client.js';
import { readVswitch } from '../../src/ovsdb/vswitch-read.js';
import { applyOvsChange } from '../../src/plugins/ovs/apply.js';
import {
  addPort,
  createBridge,
  deleteBridge,
  deletePort,
  type OvsChangeContext,
} from '../../src/services/ovs-changes.js';
import { ovsVsctl, type PrivateOvsdbServer, startOvsdbServer } from '../testbed/ovsdb-server.mjs';
import { lines, ovsRowNames } from './support/serve-fixture.js';

const ERROR = 'org.openvswitch.ovsdb.Error';
let server: PrivateOvsdbServer;
let client: OvsdbClient;
const ovs = (...args: string[]) => ovsVsctl(server.endpoint, ...args);

/**
 * The client, with `meanwhile` run just before each of its transactions that `when` picks (by count from 0):
 * after op-dbus has read what it needs, before it writes. The server and both clients are real; only the
 * moment is chosen.
 */
function racedClient(
  meanwhile: () => void,
  when: (transaction: number) => boolean = (transaction) => transaction === 1,
): OvsdbClient {
  let transactions = 0;
  return new Proxy(client, {
    get(target, property) {
      if (property === 'transact')
        return (...args: Parameters<OvsdbClient['transact']>) => {
          if (when(transactions++)) meanwhile();
          return target.transact(...args);
        };
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const racedBy = (meanwhile: () => void): OvsChangeContext => ({
  client: racedClient(meanwhile),
  comment: 'op-dbus test',
  timeoutMs: 5_000,
});

const noSuchPort = () => new ServiceMethodError(`${ERROR}.NoSuchPort`, 'no such port');
const unraced = (): OvsChangeContext => ({ client, comment: 'op-dbus test', timeoutMs: 5_000 });

async function expectRefused(change: Promise<unknown>, errorName: string): Promise<void> {
  await expect(change).rejects.toMatchObject({ errorName: `${ERROR}.${errorName}` });
}

beforeAll(async () => {
  server = startOvsdbServer();
  client = await OvsdbClient.connect(server.endpoint);
});

afterAll(() => {
  client?.close();
  server?.stop();
});

describe('the OVS D-Bus changes when another client acts at the same time', () => {
  it('refuses a bridge whose name a bridge, or a port elsewhere, already has', async () => {
    ovs('add-br', 'brg0');
    ovs('add-port', 'brg0', 'brtaken');
    const before = ovsRowNames(server.endpoint);
    await expectRefused(createBridge(unraced(), 'brg0'), 'BridgeExists');
    await expectRefused(createBridge(unraced(), 'brtaken'), 'PortExists');
    expect(ovsRowNames(server.endpoint)).toEqual(before);
  });

  it('does not delete a bridge another client replaced meanwhile', async () => {
    ovs('add-br', 'brg1');
    const replace = () => {
      ovs('del-br', 'brg1');
      ovs('add-br', 'brg1', '--', 'set', 'Bridge', 'brg1', 'external_ids:by=other');
    };
    await expectRefused(deleteBridge(racedBy(replace), 'brg1'), 'NoSuchBridge');
    expect(ovs('get', 'Bridge', 'brg1', 'external_ids:by').trim()).toBe('other');
  });

  it('refuses a port whose name another client took meanwhile, committing none of it', async () => {
    ovs('add-br', 'brg2');
    const before = () => ovsRowNames(server.endpoint);
    let seen: string[] = [];
    const take = () => {
      ovs('add-port', 'brg0', 'pg0');
      seen = before();
    };
    await expectRefused(addPort(racedBy(take), 'brg2', { name: 'pg0', type: '' }), 'PortExists');
    expect(ovsRowNames(server.endpoint)).toEqual(seen);
    expect(lines(ovs('list-ports', 'brg2'))).toEqual([]);
  });

  it('refuses a port for a bridge another client deleted meanwhile', async () => {
    ovs('add-br', 'brg3');
    await expectRefused(
      addPort(
        racedBy(() => ovs('del-br', 'brg3')),
        'brg3',
        { name: 'pg3', type: 'internal' },
      ),
      'NoSuchBridge',
    );
    expect(lines(ovs('--columns=name', '--bare', 'list', 'Port'))).not.toContain('pg3');
  });

  it('does not delete a port another client replaced meanwhile', async () => {
    ovs('add-port', 'brg2', 'pg4');
    const replace = () => {
      ovs('del-port', 'brg2', 'pg4');
      ovs('add-port', 'brg2', 'pg4', '--', 'set', 'Port', 'pg4', 'external_ids:by=other');
    };
    await expectRefused(deletePort(racedBy(replace), 'brg2', 'pg4', noSuchPort), 'NoSuchPort');
    expect(ovs('get', 'Port', 'pg4', 'external_ids:by').trim()).toBe('other');
  });

  it('makes each change when nothing interferes', async () => {
    await createBridge(unraced(), 'brg5');
    await addPort(unraced(), 'brg5', { name: 'pg5', type: '' });
    expect(lines(ovs('list-ports', 'brg5'))).toEqual(['pg5']);
    await deletePort(unraced(), 'brg5', 'pg5', noSuchPort);
    await deleteBridge(unraced(), 'brg5');
    expect(lines(ovs('list-br'))).not.toContain('brg5');
  });
});

describe('the ovs plugin applying while another client acts at the same time', () => {
  /** Applies the live switch without `port` of `bridge`, on a machine whose OVSDB client is `raced`. */
  async function removePort(bridge: string, port: string, raced: OvsdbClient): Promise<void> {
    const desired = (await readVswitch(client)).config;
    delete desired.bridges[bridge]?.ports[port];
    const machine = new Machine({ ovsdb: server.endpoint });
    machine.ovsdb = async () => raced;
    const change = { after: desired, description: `- port ${port}` } as Change;
    await applyOvsChange(change, machine, { progress: () => {}, changeTimeoutMs: 5_000 });
  }

  const replacePort = (bridge: string, port: string) => () => {
    ovs('del-port', bridge, port);
    ovs('add-port', bridge, port, '--', 'set', 'Port', port, 'external_ids:by=other');
  };

  it('reads again and removes the row another client put in place of the one it read', async () => {
    ovs('add-br', 'brp0');
    ovs('add-port', 'brp0', 'pp0');
    await removePort('brp0', 'pp0', racedClient(replacePort('brp0', 'pp0')));
    expect(lines(ovs('list-ports', 'brp0'))).toEqual([]);
  });

  it('gives up, committing nothing, when the rows keep changing under it', async () => {
    ovs('add-br', 'brp1');
    ovs('add-port', 'brp1', 'pp1');
    // Every write (the 2nd, 4th and 6th transaction; each follows a read) finds pp1 replaced.
    const raced = racedClient(replacePort('brp1', 'pp1'), (transaction) => transaction % 2 === 1);
    await expect(removePort('brp1', 'pp1', raced)).rejects.toThrow(/changed the rows .* 3 times/);
    expect(lines(ovs('list-ports', 'brp1'))).toEqual(['pp1']);
  });
});
