// dev.ovs.PortAgent1 of `op-dbus dbus serve` against a real ovsdb-server, cross-checked with ovs-vsctl and
// the ledger; and the services when OVSDB is not there yet, or goes away: a named error, never a dead service.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../src/ledger/entry.js';
import { callService, startDbusServe } from './support/dbus-serve-process.js';
import { ledgerLog } from './support/ledger-log.js';
import { busctl, startPrivateBus } from './support/policy-bus.js';
import {
  AGENT,
  lines,
  OVSDB,
  OVSDB_ERROR,
  type ServeFixture,
  startServeFixture,
} from './support/serve-fixture.js';
import { waitUntil } from './support/wait-until.js';

/** The convention docs/ and container-port-name.ts document: "oc" + 13 hex digits of SHA-256("bridge/container"). */
const documentedPortName = (bridge: string, container: string) =>
  `oc${createHash('sha256').update(`${bridge}/${container}`).digest('hex').slice(0, 13)}`;

let fixture: ServeFixture;
const ovs = (...args: string[]) => fixture.ovs(...args);
const call: ServeFixture['call'] = (...args) => fixture.call(...args);
const expectError: ServeFixture['expectError'] = (...args) => fixture.expectError(...args);

function countBy(entries: readonly LedgerEntry[], key: (entry: LedgerEntry) => string) {
  const counts: Record<string, number> = {};
  for (const entry of entries) counts[key(entry)] = (counts[key(entry)] ?? 0) + 1;
  return counts;
}

beforeAll(async () => {
  fixture = await startServeFixture();
});

afterAll(async () => {
  await fixture?.close();
});

describe('dev.ovs.PortAgent1 against a real ovsdb-server', () => {
  it('gives a container an internal port named by the documented convention, tagged with its id', async () => {
    ovs('add-br', 'bragent0');
    ovs('add-br', 'bragent1');
    const [port] = await call(AGENT, 'CreateContainerInterface', 'ss', ['bragent0', 'web-01']);
    expect(port).toBe(documentedPortName('bragent0', 'web-01'));
    expect(lines(ovs('list-ports', 'bragent0'))).toEqual([port]);
    expect(ovs('get', 'Interface', String(port), 'type').trim()).toBe('internal');
    expect(ovs('get', 'Interface', String(port), 'external_ids:container_id').trim()).toBe('web-01');
    expect(ovs('get', 'Port', String(port), 'external_ids:container_id').trim()).toBe('web-01');

    // The same container on another bridge gets another port; the name depends on both.
    const [other] = await call(AGENT, 'CreateContainerInterface', 'ss', ['bragent1', 'web-01']);
    expect(other).toBe(documentedPortName('bragent1', 'web-01'));
    expect(other).not.toBe(port);
    ovs('add-port', 'bragent1', 'eth-agent');
    expect(await call(AGENT, 'ListPorts')).toEqual([[port, other, 'eth-agent'].sort()]);
  });

  it('refuses a second port for the same container, and names it can not use', async () => {
    const port = documentedPortName('bragent0', 'web-01');
    await expectError(
      AGENT,
      'CreateContainerInterface',
      'ss',
      ['bragent0', 'web-01'],
      `${OVSDB_ERROR}.PortExists`,
      `already has port ${port}`,
    );
    await expectError(
      AGENT,
      'CreateContainerInterface',
      'ss',
      ['bragent0', 'bad name!'],
      `${OVSDB_ERROR}.InvalidName`,
      /container "bad name!"/,
    );
    await expectError(
      AGENT,
      'CreateContainerInterface',
      'ss',
      ['bragent9', 'web-01'],
      `${OVSDB_ERROR}.NoSuchBridge`,
      /bragent9/,
    );
    expect(lines(ovs('list-ports', 'bragent0'))).toEqual([port]);
  });

  it('removes the port of a container, and says when there is none', async () => {
    const port = documentedPortName('bragent0', 'web-01');
    await call(AGENT, 'RemoveContainerInterface', 'ss', ['bragent0', 'web-01']);
    expect(ovs('list-ports', 'bragent0')).toBe('');
    expect(lines(ovs('--columns=name', '--bare', 'list', 'Interface'))).not.toContain(port);
    await expectError(
      AGENT,
      'RemoveContainerInterface',
      'ss',
      ['bragent0', 'web-01'],
      `${OVSDB_ERROR}.NoSuchPort`,
      /has no port on bridge "bragent0"/,
    );
  });

  it('reports ledger statistics that match the ledger an operator reads', async () => {
    const [text] = await call(AGENT, 'GetBlockchainStats');
    const stats = JSON.parse(String(text));
    const entries = await ledgerLog(fixture.root);
    // Two creates, one remove, and the refused create and remove of the last two tests.
    expect(entries.map((entry) => `${entry.action} ${entry.result}`)).toEqual([
      'ovs-create-container-port ok',
      'ovs-create-container-port ok',
      'ovs-create-container-port failed',
      'ovs-create-container-port failed',
      'ovs-remove-container-port ok',
      'ovs-remove-container-port failed',
    ]);
    expect(stats).toEqual({
      count: entries.length,
      firstTime: entries[0]?.time,
      lastTime: entries.at(-1)?.time,
      lastSequence: entries.at(-1)?.sequence,
      lastHash: entries.at(-1)?.hash,
      byAction: countBy(entries, (entry) => entry.action),
      byResult: countBy(entries, (entry) => entry.result),
    });
  });
});

describe('the services while OVSDB is unavailable', () => {
  it('answer Unavailable while no server listens, keep running, and work once one does', async () => {
    const bus = await startPrivateBus({ kind: 'allow-all' });
    const root = await mkdtemp('/tmp/opdbus-serve-late-');
    const socket = join(fixture.server.dir, 'late.sock');
    const serve = await startDbusServe([
      '--bus-address',
      bus.address,
      '--ovsdb',
      `unix:${socket}`,
      '--root',
      root,
    ]);
    try {
      for (const [member, signature, values] of [
        ['ListBridges', '', []],
        ['CreateBridge', 's', ['brlate']],
      ] as const) {
        const result = await callService(bus.address, OVSDB, member, signature, [...values]);
        expect(result.errorName, result.stderr).toBe(`${OVSDB_ERROR}.Unavailable`);
        expect(result.stderr).toContain(socket);
      }
      expect(serve.running()).toBe(true);
      const ping = ['call', OVSDB.busName, OVSDB.objectPath, 'org.freedesktop.DBus.Peer', 'Ping'];
      expect((await busctl(bus.address, ping)).code).toBe(0);

      // The fixture's server starts listening on the socket serve was pointed at.
      const control = join(fixture.server.dir, `ovsdb-server.${fixture.server.pid}.ctl`);
      execFileSync('ovs-appctl', ['-t', control, 'ovsdb-server/add-remote', `punix:${socket}`]);
      await waitUntil('ListBridges through the late socket', async () => {
        const result = await callService(bus.address, OVSDB, 'ListBridges');
        return result.code === 0;
      });
      const created = await callService(bus.address, OVSDB, 'CreateBridge', 's', ['brlate']);
      expect(created.code, created.stderr).toBe(0);
      expect(lines(ovs('list-br'))).toContain('brlate');
      // The attempt that found no server is in the audit trail too, with what went wrong.
      const entries = await ledgerLog(root);
      expect(entries.map((entry) => `${entry.action} ${entry.result}`)).toEqual([
        'ovs-create-bridge failed',
        'ovs-create-bridge ok',
      ]);
      expect(entries[0]?.details?.error).toContain(socket);
    } finally {
      expect(await serve.stop()).toEqual({ code: 0, signal: null });
      await bus.stop();
      await rm(root, { recursive: true, force: true });
      ovs('--if-exists', 'del-br', 'brlate');
    }
  });

  it('reconnect after the server restarts, losing nothing it had stored', async () => {
    await call(OVSDB, 'CreateBridge', 's', ['brkeep']);
    fixture.server.restart();
    const bridges = await waitUntil('ListBridges after the server restarted', async () => {
      const result = await callService(fixture.bus.address, OVSDB, 'ListBridges');
      return result.code === 0 ? result.values : undefined;
    });
    expect(bridges?.[0]).toContain('brkeep');
    await call(OVSDB, 'DeleteBridge', 's', ['brkeep']);
    expect(lines(ovs('list-br'))).not.toContain('brkeep');
    expect(fixture.serve.running()).toBe(true);
  });
});
