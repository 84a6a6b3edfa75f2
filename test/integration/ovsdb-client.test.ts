// The OVSDB client against a real ovsdb-server, cross-checked with ovs-vsctl as an independent client:
// every RFC 7047 method and operation, server errors with their details, timeouts, keepalive and reconnects.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createConnection, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OvsdbClient, type OvsdbMonitorListener } from '../../src/ovsdb/client.js';
import { mapEntries, namedUuid, ovsMap, setAtoms, uuid, uuidOf } from '../../src/ovsdb/datum.js';
import {
  OvsdbConnectionError,
  OvsdbRpcError,
  OvsdbTimeoutError,
  OvsdbTransactionError,
} from '../../src/ovsdb/errors.js';
import type { OvsdbOperation, OvsdbTableUpdates } from '../../src/ovsdb/operations.js';
import { ovsVsctl, type PrivateOvsdbServer, startOvsdbServer } from '../testbed/ovsdb-server.mjs';
import { containerRoot, target } from './testbed-env.js';

const DB = 'Open_vSwitch';

/** Operations that add a bridge the way `ovs-vsctl add-br` does: interface, port, bridge, root reference. */
function addBridgeOperations(name: string): OvsdbOperation[] {
  return [
    { op: 'insert', table: 'Interface', row: { name, type: 'internal' }, 'uuid-name': 'iface' },
    { op: 'insert', table: 'Port', row: { name, interfaces: namedUuid('iface') }, 'uuid-name': 'port' },
    { op: 'insert', table: 'Bridge', row: { name, ports: namedUuid('port') }, 'uuid-name': 'bridge' },
    { op: 'mutate', table: DB, where: [], mutations: [['bridges', 'insert', namedUuid('bridge')]] },
    { op: 'comment', comment: `op-dbus test: add bridge ${name}` },
  ];
}

/** Collects monitor deliveries and lets a test wait for the next one that satisfies it. */
function updateRecorder() {
  const seen: { kind: string; updates: OvsdbTableUpdates }[] = [];
  const waiters: (() => void)[] = [];
  const listener: OvsdbMonitorListener = (updates, kind) => {
    seen.push({ kind, updates });
    for (const wake of waiters.splice(0)) wake();
  };
  const next = async (accept: (delivery: { kind: string; updates: OvsdbTableUpdates }) => boolean) => {
    for (;;) {
      const found = seen.find(accept);
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { listener, seen, next };
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The server opens Manager remotes a moment after they are configured. */
async function connectWhenListening(
  endpoint: string,
  onConnectionChange: (connected: boolean) => void,
): Promise<OvsdbClient> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await OvsdbClient.connect(endpoint, { keepaliveMs: 0, reconnect: false, onConnectionChange });
    } catch (error) {
      if (attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A bare JSON-RPC connection that asks for `lock` and must get it at once; it holds it until closed. */
async function takeLock(endpoint: string, lock: string): Promise<{ close(): void }> {
  const socket = createConnection(endpoint.replace(/^unix:/, ''));
  await once(socket, 'connect');
  socket.write(JSON.stringify({ method: 'lock', params: [lock], id: 1 }));
  const [reply] = await once(socket, 'data');
  expect(JSON.parse(String(reply))).toEqual({ id: 1, result: { locked: true }, error: null });
  return { close: () => socket.destroy() };
}

const bridgeNamesIn = (updates: OvsdbTableUpdates, age: 'old' | 'new') =>
  Object.values(updates.Bridge ?? {}).flatMap((row) => (row[age]?.name ? [String(row[age]?.name)] : []));

describe('OvsdbClient against a real ovsdb-server', () => {
  let server: PrivateOvsdbServer;
  let client: OvsdbClient;

  beforeAll(async () => {
    server = startOvsdbServer();
    client = await OvsdbClient.connect(server.endpoint, { timeoutMs: 5000, keepaliveMs: 0 });
  });
  afterAll(() => {
    client?.close();
    server?.stop();
  });

  it('lists databases and reads the schema', async () => {
    expect(await client.listDbs()).toContain(DB);
    const schema = await client.getSchema(DB);
    expect(schema.name).toBe(DB);
    expect(schema.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Object.keys(schema.tables)).toEqual(expect.arrayContaining(['Bridge', 'Port', 'Interface']));
  });

  it('inserts with named uuids and mutates in one transaction that ovs-vsctl then sees', async () => {
    const results = await client.transact(DB, addBridgeOperations('brclient0'));
    expect(uuidOf(results[2]?.uuid)).toMatch(/^[0-9a-f-]{36}$/);
    expect(ovsVsctl(server.endpoint, 'list-br').split('\n')).toContain('brclient0');
    expect(ovsVsctl(server.endpoint, 'list-ports', 'brclient0')).toBe('');
    expect(ovsVsctl(server.endpoint, 'get', 'Interface', 'brclient0', 'type').trim()).toBe('internal');
    // The comment is stored with the transaction in the database log.
    const log = execFileSync('ovsdb-tool', ['show-log', server.db], { encoding: 'utf8' });
    expect(log).toContain('op-dbus test: add bridge brclient0');
  });

  it('updates, mutates, selects and deletes; ovs-vsctl agrees after each', async () => {
    ovsVsctl(server.endpoint, 'add-br', 'brclient1');
    await client.transact(DB, [
      { op: 'update', table: 'Bridge', where: [['name', '==', 'brclient1']], row: { fail_mode: 'secure' } },
      {
        op: 'mutate',
        table: 'Bridge',
        where: [['name', '==', 'brclient1']],
        mutations: [['external_ids', 'insert', ovsMap({ owner: 'op-dbus', 'odd key': 'a "quoted" ż' })]],
      },
    ]);
    expect(ovsVsctl(server.endpoint, 'get-fail-mode', 'brclient1').trim()).toBe('secure');
    expect(ovsVsctl(server.endpoint, 'br-get-external-id', 'brclient1', 'owner').trim()).toBe('op-dbus');

    const [selected] = await client.transact(DB, [
      {
        op: 'select',
        table: 'Bridge',
        where: [['name', '==', 'brclient1']],
        columns: ['name', 'external_ids'],
      },
    ]);
    expect(selected?.rows).toHaveLength(1);
    expect(mapEntries(selected?.rows?.[0]?.external_ids)).toEqual({
      owner: 'op-dbus',
      'odd key': 'a "quoted" ż',
    });

    const [root] = await client.transact(DB, [{ op: 'select', table: DB, where: [], columns: ['_uuid'] }]);
    const rootUuid = uuidOf(root?.rows?.[0]?._uuid) ?? '';
    const [bridge] = await client.transact(DB, [
      { op: 'select', table: 'Bridge', where: [['name', '==', 'brclient1']], columns: ['_uuid'] },
    ]);
    const deleted = await client.transact(DB, [
      {
        op: 'mutate',
        table: DB,
        where: [['_uuid', '==', uuid(rootUuid)]],
        mutations: [['bridges', 'delete', bridge?.rows?.[0]?._uuid ?? '']],
      },
    ]);
    expect(deleted[0]?.count).toBe(1);
    expect(ovsVsctl(server.endpoint, 'list-br').split('\n')).not.toContain('brclient1');
  });

  it('surfaces a failed operation with the server error and details, and commits none of it', async () => {
    const before = ovsVsctl(server.endpoint, 'list-br');
    const failing = client.transact(DB, [
      ...addBridgeOperations('brclient2'),
      { op: 'insert', table: 'No_Such_Table', row: {} },
    ]);
    await expect(failing).rejects.toBeInstanceOf(OvsdbTransactionError);
    await expect(failing).rejects.toThrow(
      /operation 5 \(insert\): syntax error: .*No table named No_Such_Table/,
    );
    expect(ovsVsctl(server.endpoint, 'list-br')).toBe(before);

    const duplicate = client.transact(DB, addBridgeOperations('brclient0'));
    await expect(duplicate).rejects.toThrow(/constraint violation/);
    expect(ovsVsctl(server.endpoint, 'list-br')).toBe(before);
  });

  it('surfaces a request-level error with its name', async () => {
    const unknown = client.getSchema('No_Such_Db');
    await expect(unknown).rejects.toBeInstanceOf(OvsdbRpcError);
    await expect(unknown).rejects.toThrow(/get_schema failed: unknown database/);
  });

  it('bounds every request by its timeout: a wait the server holds open times out', async () => {
    const held = client.transact(
      DB,
      [
        {
          op: 'wait',
          table: 'Bridge',
          where: [['name', '==', 'brclient0']],
          columns: ['name'],
          until: '!=',
          rows: [{ name: 'brclient0' }],
          timeout: 30_000,
        },
      ],
      300,
    );
    await expect(held).rejects.toBeInstanceOf(OvsdbTimeoutError);
    // The connection stays usable after a request was given up on.
    await client.echo();
  });

  it('a satisfied wait lets the transaction proceed; an unsatisfied one with timeout 0 fails it', async () => {
    const satisfied = await client.transact(DB, [
      {
        op: 'wait',
        table: 'Bridge',
        where: [['name', '==', 'brclient0']],
        columns: ['name'],
        until: '==',
        rows: [{ name: 'brclient0' }],
        timeout: 0,
      },
    ]);
    expect(satisfied).toHaveLength(1);
    const unsatisfied = client.transact(DB, [
      {
        op: 'wait',
        table: 'Bridge',
        where: [['name', '==', 'brclient0']],
        columns: ['name'],
        until: '!=',
        rows: [{ name: 'brclient0' }],
        timeout: 0,
      },
    ]);
    await expect(unsatisfied).rejects.toThrow(/operation 0 \(wait\): timed out/);
  });

  it('monitors a table: initial rows, then inserts and deletes made by ovs-vsctl, until cancelled', async () => {
    const recorder = updateRecorder();
    const monitor = await client.monitor(DB, { Bridge: { columns: ['name'] } }, recorder.listener);
    expect(bridgeNamesIn(monitor.initial, 'new')).toContain('brclient0');

    ovsVsctl(server.endpoint, 'add-br', 'brmonitor');
    const added = await recorder.next((d) => bridgeNamesIn(d.updates, 'new').includes('brmonitor'));
    expect(added.kind).toBe('update');
    ovsVsctl(server.endpoint, 'del-br', 'brmonitor');
    await recorder.next((d) => bridgeNamesIn(d.updates, 'old').includes('brmonitor'));

    await monitor.cancel();
    const count = recorder.seen.length;
    ovsVsctl(server.endpoint, 'add-br', 'brafter');
    // A later request's reply proves the server processed the change; no update may have come for it.
    await client.echo();
    await client.listDbs();
    expect(recorder.seen.length).toBe(count);
    ovsVsctl(server.endpoint, 'del-br', 'brafter');
  });

  it('reconnects after the server restarts and re-establishes monitors with fresh contents', async () => {
    const changes: boolean[] = [];
    const resilient = await OvsdbClient.connect(server.endpoint, {
      keepaliveMs: 0,
      onConnectionChange: (connected) => changes.push(connected),
    });
    try {
      const recorder = updateRecorder();
      await resilient.monitor(DB, { Bridge: { columns: ['name'] } }, recorder.listener);
      server.restart();
      ovsVsctl(server.endpoint, 'add-br', 'brrestart');
      const fresh = await recorder.next(
        (d) => d.kind === 'initial' && bridgeNamesIn(d.updates, 'new').includes('brrestart'),
      );
      expect(bridgeNamesIn(fresh.updates, 'new')).toContain('brclient0');
      expect(changes).toEqual([false, true]);
      expect(await resilient.listDbs()).toContain(DB);
      ovsVsctl(server.endpoint, 'del-br', 'brrestart');
      await recorder.next((d) => bridgeNamesIn(d.updates, 'old').includes('brrestart'));
    } finally {
      resilient.close();
    }
  });

  it('probes an idle server with echo and drops a connection whose server stopped answering', async () => {
    const changes: boolean[] = [];
    const probing = await OvsdbClient.connect(server.endpoint, {
      keepaliveMs: 200,
      reconnect: false,
      onConnectionChange: (connected) => changes.push(connected),
    });
    const lost = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (changes.includes(false)) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    process.kill(server.pid, 'SIGSTOP');
    try {
      await lost;
    } finally {
      process.kill(server.pid, 'SIGCONT');
    }
    await expect(probing.listDbs()).rejects.toBeInstanceOf(OvsdbConnectionError);
    probing.close();
  });

  it('tells whether another client holds a lock, neither keeping it nor staying queued for it', async () => {
    const lock = 'opdbus_test_lock';
    expect(await client.lockHeldElsewhere(lock)).toBe(false);
    // Had the probe kept the lock, this holder would not get it at once.
    const holder = await takeLock(server.endpoint, lock);
    try {
      expect(await client.lockHeldElsewhere(lock)).toBe(true);
    } finally {
      holder.close();
    }
    // Had the probe stayed queued behind the holder, the server would have handed the lock to it now.
    const next = await takeLock(server.endpoint, lock);
    next.close();
    // Probes on one connection take turns: the server refuses a second lock before the unlock.
    expect(await Promise.all([1, 2, 3].map(() => client.lockHeldElsewhere(lock)))).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('says why it cannot connect', async () => {
    await expect(OvsdbClient.connect(`unix:${server.dir}/missing.sock`)).rejects.toThrow(
      /socket does not exist \(is ovsdb-server running\?\)/,
    );
    await expect(OvsdbClient.connect('tcp:127.0.0.1:1')).rejects.toThrow(/connection refused/);
  });

  it('answers the server echo probes, so a server that probes idle clients keeps the connection', async () => {
    // Remotes listed in the Manager table carry an inactivity probe; the server drops a client that stays
    // silent for two probe intervals, so surviving several intervals means every probe was answered.
    // (ovsdb-server never probes unix-socket clients, so the probed remote is TCP on loopback.)
    const probing = startOvsdbServer({ managerRemotes: true });
    const port = await freeLoopbackPort();
    ovsVsctl(probing.endpoint, 'set-manager', `ptcp:${port}:127.0.0.1`);
    ovsVsctl(probing.endpoint, 'set', 'Manager', '.', 'inactivity_probe=1000');
    const changes: boolean[] = [];
    try {
      const client = await connectWhenListening(`tcp:127.0.0.1:${port}`, (connected) =>
        changes.push(connected),
      );
      try {
        await new Promise((resolve) => setTimeout(resolve, 4500));
        expect(changes).toEqual([]);
        expect(await client.listDbs()).toContain(DB);
      } finally {
        client.close();
      }
      const log = execFileSync('cat', [`${probing.dir}/ovsdb-server.log`], { encoding: 'utf8' });
      expect(log).not.toMatch(/no response to inactivity probe/);
    } finally {
      probing.stop();
    }
  });
});

describe('OvsdbClient against the Open vSwitch inside a testbed target', () => {
  it('reads the database Debian started there, through the socket under the target root', async () => {
    const t = target(0);
    const client = await OvsdbClient.connect(`unix:${containerRoot(t)}/run/openvswitch/db.sock`);
    try {
      const [root] = await client.transact(DB, [
        { op: 'select', table: DB, where: [], columns: ['ovs_version', 'external_ids'] },
      ]);
      const external = mapEntries(root?.rows?.[0]?.external_ids);
      expect(external.hostname).toBe(t.name);
      expect(setAtoms(root?.rows?.[0]?.ovs_version)[0]).toMatch(/^\d+\.\d+/);
    } finally {
      client.close();
    }
  });
});
