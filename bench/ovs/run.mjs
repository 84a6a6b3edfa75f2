// `npm run bench:ovs` (as root): Open vSwitch operations through op-dbus's D-Bus service against the same
// operations through `ovs-vsctl` subprocesses, on one private ovsdb-server: ListBridges, and CreateBridge +
// DeleteBridge (each change one OVSDB transaction plus a signed ledger entry). The D-Bus side is measured from a
// long-lived client (how a daemon or agent calls it) and from `busctl call` subprocesses (how a shell does).
// Results in BENCHMARKS.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDbusConnection } from '../../dist/dbus/connection.js';
import { openLedger } from '../../dist/ledger/ledger.js';
import { Machine } from '../../dist/machine/machine.js';
import { OvsdbClient } from '../../dist/ovsdb/client.js';
import {
  bridgeNames,
  createBridgeOperations,
  deleteBridgeOperations,
  findBridge,
} from '../../dist/services/ovs-bridges.js';
import { ovsVsctl, startOvsdbServer } from '../../test/testbed/ovsdb-server.mjs';
import { describeMachine, loadAverage } from '../machine-info.mjs';
import { alignColumns } from '../report.mjs';
import { runTimed } from '../run-timed.mjs';
import { formatRatio, summarize } from '../stats.mjs';
import { acquireTestbed, REPO } from '../testbed.mjs';

const NAME = 'org.openvswitch.ovsdb';
const PATH = '/org/openvswitch/ovsdb';
const log = (message) => process.stderr.write(`bench: ${message}\n`);
const print = (text = '') => process.stdout.write(`${text}\n`);

const { values: options } = parseArgs({
  options: { calls: { type: 'string', default: process.env.OPDBUS_BENCH_CALLS ?? '200' } },
});
const calls = Number(options.calls);
if (!Number.isInteger(calls) || calls < 10)
  throw new Error(`--calls must be an integer ≥ 10, got "${options.calls}"`);
if (process.getuid?.() !== 0) throw new Error('the benchmark needs root (it owns names on the testbed bus)');

/** Per-operation wall times (ms) of `count` sequential runs of `operation(i)`. */
async function timeEach(count, operation) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await operation(i);
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

async function subprocess(command, args) {
  const result = await runTimed(command, args);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
}

async function waitForName(connection) {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await connection.nameOwner(NAME)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${NAME} never appeared on the bus`);
}

const microseconds = (ms) => `${(ms * 1000).toFixed(0)} µs`;

const testbed = acquireTestbed(log);
const server = startOvsdbServer();
const root = mkdtempSync('/tmp/opdbus-bench-ovs-root-');
const address = testbed.env.hostBus.address;
const service = spawn(
  process.execPath,
  [
    `${REPO}bin/op-dbus.js`,
    'dbus',
    'serve',
    '--bus-address',
    address,
    '--root',
    root,
    '--ovsdb',
    server.endpoint,
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
const connection = await openDbusConnection(address, 10_000);
try {
  await waitForName(connection);
  const call = (member, signature = '', args = []) =>
    connection.call(NAME, PATH, NAME, member, { signature, args });
  const vsctl = (...args) => subprocess('ovs-vsctl', [`--db=${server.endpoint}`, '--no-wait', ...args]);
  const busctl = (...args) =>
    subprocess('busctl', [`--address=${address}`, 'call', NAME, PATH, NAME, ...args]);
  for (let i = 0; i < 10; i++) ovsVsctl(server.endpoint, 'add-br', `brbase${i}`);

  print(`# op-dbus OVS benchmark — ${new Date().toISOString()}`);
  print(`machine: ${JSON.stringify(describeMachine())}`);
  print(`load average at start: ${loadAverage()}`);
  log('warming up');
  await timeEach(20, () => call('ListBridges'));
  const subprocessCalls = Math.max(10, Math.floor(calls / 4));
  log(`ListBridges × ${calls} (D-Bus), × ${subprocessCalls} (subprocesses)`);
  const raw = await OvsdbClient.connect(server.endpoint, { keepaliveMs: 0 });
  const list = {
    raw: await timeEach(calls, () => bridgeNames(raw)),
    ping: await timeEach(calls, () => connection.call(NAME, PATH, 'org.freedesktop.DBus.Peer', 'Ping')),
    dbus: await timeEach(calls, () => call('ListBridges')),
    busctl: await timeEach(subprocessCalls, () => busctl('ListBridges')),
    vsctl: await timeEach(subprocessCalls, () => vsctl('list-br')),
  };
  log(`CreateBridge + DeleteBridge × ${subprocessCalls}`);
  const ledgerRoot = mkdtempSync('/tmp/opdbus-bench-ovs-ledger-');
  const ledgerMachine = new Machine({ root: ledgerRoot });
  const ledger = openLedger(ledgerMachine);
  const entry = (i) => ({
    actor: 'bench',
    action: 'ovs-create-bridge',
    planHash: null,
    stateBefore: null,
    stateAfter: null,
    result: 'ok',
    details: { bridge: `brl${i}` },
  });
  const pair = {
    raw: await timeEach(subprocessCalls, async (i) => {
      await raw.transact('Open_vSwitch', createBridgeOperations(`brr${i}`, 'bench'));
      await raw.transact('Open_vSwitch', deleteBridgeOperations(await findBridge(raw, `brr${i}`), 'bench'));
    }),
    ledger: await timeEach(subprocessCalls, async (i) => {
      await ledger.append(entry(2 * i));
      await ledger.append(entry(2 * i + 1));
    }),
    dbus: await timeEach(subprocessCalls, async (i) => {
      await call('CreateBridge', 's', [`brd${i}`]);
      await call('DeleteBridge', 's', [`brd${i}`]);
    }),
    busctl: await timeEach(subprocessCalls, async (i) => {
      await busctl('CreateBridge', 's', `brb${i}`);
      await busctl('DeleteBridge', 's', `brb${i}`);
    }),
    vsctl: await timeEach(subprocessCalls, async (i) => {
      await vsctl('add-br', `brv${i}`);
      await vsctl('del-br', `brv${i}`);
    }),
  };
  print(
    `\n## Per operation, medians (10 bridges in the database; no ovs-vswitchd on it, so neither side waits for one: ovs-vsctl with --no-wait)\n`,
  );
  const rows = [['', 'median', 'min', 'max', 'ovs-vsctl ÷ this']];
  const contenders = [
    ['raw', 'raw OVSDB transactions from Node (no D-Bus, no ledger)'],
    ['ledger', 'of which: 2 signed, synced ledger entries alone'],
    ['ping', 'D-Bus round trip alone (Peer.Ping to the service)'],
    ['dbus', 'op-dbus over D-Bus (long-lived client)'],
    ['busctl', 'op-dbus via busctl subprocesses'],
    ['vsctl', 'ovs-vsctl subprocesses'],
  ];
  for (const [label, results] of [
    ['ListBridges', list],
    ['CreateBridge + DeleteBridge', pair],
  ]) {
    for (const [key, description] of contenders) {
      const summary = results[key];
      if (!summary) continue;
      const ratio =
        key === 'ledger' || key === 'ping' ? '' : formatRatio(results.vsctl.median, summary.median);
      rows.push([
        `${label}: ${description}`,
        ...[summary.median, summary.min, summary.max].map(microseconds),
        ratio,
      ]);
    }
  }
  print(alignColumns(rows));
  print(`\nload average at end: ${loadAverage()}`);
  raw.close();
  rmSync(ledgerRoot, { recursive: true, force: true });
} finally {
  connection.close();
  service.kill('SIGTERM');
  await new Promise((resolve) => service.once('exit', resolve));
  server.stop();
  rmSync(root, { recursive: true, force: true });
  testbed.release();
}
