// `node bench/deploy/run.mjs` (as root, after `npm run build`): throughput of
// `op-dbus deploy send -o - | op-dbus deploy receive -` (signing, framing, SHA-256 on both sides, staging,
// ledger) against `btrfs send | btrfs receive` of the same snapshot between two loop-mounted pools, for a
// full stream of a 1 GiB tree and for an incremental one after 5% of it changed. Results: BENCHMARKS.md.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeMachine, loadAverage } from '../machine-info.mjs';
import { outputBytes, timePipeline } from './pipelines.mjs';
import { changeFivePercent, createPool, removePool, run, writeTree } from './pools.mjs';
import { renderRows, throughputRows } from './report.mjs';

const REPO = new URL('../../', import.meta.url).pathname;
const BIN = join(REPO, 'bin/op-dbus.js');
const log = (message) => process.stderr.write(`bench: ${message}\n`);

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, json: { type: 'string' } },
});
if (!/^[1-9]\d*$/.test(values.runs))
  throw new Error(`--runs must be a positive integer, got "${values.runs}"`);
if (process.getuid?.() !== 0) throw new Error('the benchmark needs root (it mounts btrfs images)');
if (!existsSync(join(REPO, 'dist/op-dbus.mjs'))) throw new Error('run `npm run build` first');
const runs = Number(values.runs);

const opDbus = (pool, store, args) => [
  process.execPath,
  BIN,
  'deploy',
  '--root',
  pool.mountpoint,
  '--store',
  store,
  ...args,
];
const opDbusSync = (pool, store, args) => run(process.execPath, opDbus(pool, store, args).slice(1));
/** Settles writeback from the previous run and frees deleted subvolumes, so runs do not tax each other. */
const settle = (pool) => {
  run('btrfs', ['subvolume', 'sync', pool.mountpoint]);
  run('sync', []);
};
const deleteSubvolume = (path) => run('btrfs', ['subvolume', 'delete', path]);

const sender = createPool('sender', 4 * 1024 ** 3);
const receiver = createPool('receiver', 10 * 1024 ** 3);
try {
  log('writing the 1 GiB tree');
  const source = join(sender.mountpoint, 'src');
  run('btrfs', ['subvolume', 'create', source]);
  const treeBytes = writeTree(source);
  opDbusSync(sender, '/deploy', ['snapshot', 'v1', '--from', '/src']);
  const changedBytes = changeFivePercent(source);
  opDbusSync(sender, '/deploy', ['snapshot', 'v2', '--from', '/src']);
  const tree = (name) => join(sender.mountpoint, 'deploy/versions', name, 'tree');
  const pem = join(sender.directory, 'sender.pem');
  writeFileSync(pem, opDbusSync(sender, '/deploy', ['key', 'export']));
  const receive = (store) => opDbus(receiver, store, ['receive', '-', '--verify-key', pem]);

  // The incremental contenders need v1 on the receiver: each gets its own copy, received once, not timed.
  const rawBase = join(receiver.mountpoint, 'raw-base');
  mkdirSync(rawBase);
  await timePipeline(['btrfs', 'send', '-q', tree('v1')], ['btrfs', 'receive', rawBase]);
  await timePipeline(opDbus(sender, '/deploy', ['send', 'v1', '-o', '-']), receive('/incremental'));
  const streamBytes = {
    full: await outputBytes(['btrfs', 'send', '-q', tree('v1')]),
    incremental: await outputBytes(['btrfs', 'send', '-q', '-p', tree('v1'), tree('v2')]),
  };

  const contenders = {
    full: {
      raw: { send: ['btrfs', 'send', '-q', tree('v1')], dir: 'raw-full' },
      opdbus: { send: opDbus(sender, '/deploy', ['send', 'v1', '-o', '-']), store: '/full', version: 'v1' },
    },
    incremental: {
      raw: { send: ['btrfs', 'send', '-q', '-p', tree('v1'), tree('v2')], dir: 'raw-incremental' },
      opdbus: {
        send: opDbus(sender, '/deploy', ['send', 'v2', '--parent', 'v1', '-o', '-']),
        store: '/incremental',
        version: 'v2',
      },
    },
  };

  async function measure(mode, contender) {
    const spec = contenders[mode][contender];
    settle(receiver);
    if (contender === 'raw') {
      const directory = join(receiver.mountpoint, spec.dir);
      mkdirSync(directory);
      const ms = await timePipeline(spec.send, ['btrfs', 'receive', directory]);
      deleteSubvolume(join(directory, 'tree'));
      rmSync(directory, { recursive: true });
      return ms;
    }
    const ms = await timePipeline(spec.send, receive(spec.store));
    const version = join(receiver.mountpoint, spec.store, 'versions', spec.version);
    deleteSubvolume(join(version, 'tree'));
    rmSync(version, { recursive: true });
    return ms;
  }

  const loadAtStart = loadAverage();
  const samples = { full: { raw: [], opdbus: [] }, incremental: { raw: [], opdbus: [] } };
  log(`warm-up, then ${runs} interleaved rounds`);
  for (const mode of ['full', 'incremental'])
    for (const contender of ['raw', 'opdbus']) await measure(mode, contender);
  for (let round = 0; round < runs; round++) {
    const order = round % 2 === 0 ? ['raw', 'opdbus'] : ['opdbus', 'raw'];
    for (const mode of ['full', 'incremental'])
      for (const contender of order) samples[mode][contender].push(await measure(mode, contender));
    log(`round ${round + 1}/${runs} done`);
  }
  const rows = throughputRows(samples, streamBytes);
  const machine = describeMachine();
  process.stdout.write(
    `${renderRows(rows)}\n\ntree ${(treeBytes / 2 ** 30).toFixed(3)} GiB, changed ${((changedBytes / treeBytes) * 100).toFixed(1)}%; ` +
      `${runs} runs each (medians); load ${loadAtStart} → ${loadAverage()}; ` +
      `${machine.cpu}, ${machine.cores} cores, ${machine.kernel}, Node ${machine.node}\n`,
  );
  if (values.json)
    writeFileSync(values.json, `${JSON.stringify({ machine, samples, streamBytes, rows }, null, 2)}\n`);
} finally {
  removePool(sender);
  removePool(receiver);
}
