// `npm run bench:apply` (as root): 50 unit start+stop changes applied by op-dbus through D-Bus (jobs issued
// together, awaited via JobRemoved) against a loop of `systemctl` subprocesses doing the same inside the same
// target; and the wall time of a whole clone round trip (capture A → apply B → verify B). BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { applyDesiredState } from '../../dist/engine/apply.js';
import { discoverMachine } from '../../dist/engine/discover.js';
import { Machine } from '../../dist/machine/machine.js';
import { findPlugin, plugins } from '../../dist/plugins/registry.js';
import { sealDocument } from '../../dist/state/document.js';
import { describeMachine, loadAverage } from '../machine-info.mjs';
import { alignColumns } from '../report.mjs';
import { runTimed } from '../run-timed.mjs';
import { formatRatio, formatSeconds, summarize } from '../stats.mjs';
import { acquireTestbed, containerInitPid, REPO } from '../testbed.mjs';

const UNITS = 50;
const BIN = `${REPO}bin/op-dbus.js`;
const log = (message) => process.stderr.write(`bench: ${message}\n`);
const print = (text = '') => process.stdout.write(`${text}\n`);

const { values: options } = parseArgs({
  options: { runs: { type: 'string', default: process.env.OPDBUS_BENCH_RUNS ?? '5' } },
});
const runs = Number(options.runs);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs must be a positive integer, got "${options.runs}"`);
if (process.getuid?.() !== 0) throw new Error('the benchmark needs root (it enters systemd containers)');

const unitNames = Array.from({ length: UNITS }, (_, index) => `opdbus-bench-${index + 1}.service`);
const unitFile =
  '[Unit]\nDescription=op-dbus apply benchmark\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n\n[Install]\nWantedBy=multi-user.target\n';

function inTarget(target, args) {
  const pid = String(containerInitPid(target));
  const result = spawnSync('nsenter', ['-t', pid, '-m', '-u', '-i', '-n', '-p', '--', ...args], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`${args.join(' ')} in ${target.name}: ${result.stderr}`);
  return result.stdout;
}

/** Wall time of a command run inside the target (all its namespaces), as the baselines run there. */
async function timedInTarget(target, args) {
  const pid = String(containerInitPid(target));
  const result = await runTimed('nsenter', ['-t', pid, '-m', '-u', '-i', '-n', '-p', '--', ...args]);
  if (result.code !== 0) throw new Error(`${args.slice(0, 3).join(' ')} … failed: ${result.stderr}`);
  return result.ms;
}

/** The same starts and stops as a loop of systemctl processes inside the target (one process per unit). */
const systemctlLoop = (target, verb) =>
  timedInTarget(target, [
    'sh',
    '-c',
    `for unit in "$@"; do systemctl ${verb} "$unit" || exit 1; done`,
    'sh',
    ...unitNames,
  ]);

/** The floor any client can reach: one systemctl asking for all 50 jobs in one transaction. */
const systemctlOnce = (target, verb) => timedInTarget(target, ['systemctl', verb, ...unitNames]);

function withRunState(state, wanted) {
  const copy = structuredClone(state);
  for (const unit of unitNames) copy.sections.systemd.config.activeState[unit] = wanted;
  const { integrity: _stale, ...rest } = copy;
  return sealDocument(rest);
}

/** op-dbus applying the 50 changes: the whole apply, and the runtime phase (first job issued → last finished). */
async function opDbusApply(machine, desired) {
  let firstStart;
  let lastDone;
  const started = performance.now();
  const outcome = await applyDesiredState(machine, desired, {
    registry: plugins,
    plugins: [findPlugin('systemd')],
    prune: false,
    dryRun: false,
    onEvent: (event) => {
      if (event.type === 'change-started' && event.change.kind === 'run-state')
        firstStart ??= performance.now();
      if (event.type === 'change-done' && event.change.kind === 'run-state') lastDone = performance.now();
    },
  });
  const whole = performance.now() - started;
  if (outcome.status !== 'applied') throw new Error(`apply ended ${outcome.status}: ${outcome.reason ?? ''}`);
  if (outcome.plan.changes.length !== UNITS)
    throw new Error(`expected ${UNITS} changes, planned ${outcome.plan.changes.length}`);
  return { whole, jobs: lastDone - firstStart };
}

async function cli(args) {
  const result = await runTimed(process.execPath, [BIN, ...args]);
  if (result.code !== 0 && result.code !== 2) throw new Error(`op-dbus ${args[0]} failed: ${result.stderr}`);
  return result.ms;
}

const testbed = acquireTestbed(log);
const [targetA, targetB] = testbed.env.targets;
const rootOf = (target) => `/proc/${containerInitPid(target)}/root`;
const work = mkdtempSync(join(tmpdir(), 'op-dbus-bench-apply-'));
const unitPaths = (target) => unitNames.map((unit) => join(rootOf(target), 'etc/systemd/system', unit));
try {
  print(`# op-dbus apply benchmark — ${new Date().toISOString()}`);
  print(`machine: ${JSON.stringify(describeMachine())}`);
  print(`load average at start: ${loadAverage()}`);
  for (const path of unitPaths(targetB)) writeFileSync(path, unitFile);
  inTarget(targetB, ['systemctl', 'daemon-reload']);

  const machine = new Machine({ busAddress: targetB.busAddress, root: rootOf(targetB) });
  const systemd = [findPlugin('systemd')];
  const { state: stopped } = await discoverMachine(machine, { plugins: systemd, registry: plugins });
  const startAll = withRunState(stopped, 'active');
  const stopAll = withRunState(stopped, 'inactive');

  const samples = { loop: [], once: [], jobs: [], apply: [] };
  for (let run = 0; run <= runs; run++) {
    const loop = (await systemctlLoop(targetB, 'start')) + (await systemctlLoop(targetB, 'stop'));
    const once = (await systemctlOnce(targetB, 'start')) + (await systemctlOnce(targetB, 'stop'));
    const up = await opDbusApply(machine, startAll);
    const down = await opDbusApply(machine, stopAll);
    if (run === 0) continue; // warm-up
    samples.loop.push(loop);
    samples.once.push(once);
    samples.jobs.push(up.jobs + down.jobs);
    samples.apply.push(up.whole + down.whole);
  }
  await machine.close();
  const loop = summarize(samples.loop);
  const once = summarize(samples.once);
  const jobs = summarize(samples.jobs);
  const apply = summarize(samples.apply);
  print(`\n## ${UNITS} units started then stopped (${runs} runs after a warm-up, medians)\n`);
  print(
    alignColumns([
      ['', 'median', 'min', 'max', 'loop ÷ this'],
      [
        'systemctl loop (100 processes)',
        formatSeconds(loop.median),
        formatSeconds(loop.min),
        formatSeconds(loop.max),
        '1×',
      ],
      [
        'floor: one systemctl start, one stop (all 50 units each)',
        formatSeconds(once.median),
        formatSeconds(once.min),
        formatSeconds(once.max),
        formatRatio(loop.median, once.median),
      ],
      [
        'op-dbus: the 100 changes (jobs together)',
        formatSeconds(jobs.median),
        formatSeconds(jobs.min),
        formatSeconds(jobs.max),
        formatRatio(loop.median, jobs.median),
      ],
      [
        'op-dbus: two whole applies (lock, plan, checkpoint, journal, verify, ledger)',
        formatSeconds(apply.median),
        formatSeconds(apply.min),
        formatSeconds(apply.max),
        formatRatio(loop.median, apply.median),
      ],
    ]),
  );

  // The clone round trip: A with the 50 units enabled and running, captured, applied to a clean B, verified.
  for (const path of unitPaths(targetB)) unlinkSync(path);
  inTarget(targetB, ['systemctl', 'daemon-reload']);
  const bArgs = ['--bus-address', targetB.busAddress, '--root', rootOf(targetB)];
  const aArgs = ['--bus-address', targetA.busAddress, '--root', rootOf(targetA)];
  const original = join(work, 'b0.json');
  await cli(['discover', '--export', '-o', original, ...bArgs]);
  for (const path of unitPaths(targetA)) writeFileSync(path, unitFile);
  inTarget(targetA, ['systemctl', 'daemon-reload']);
  inTarget(targetA, ['systemctl', 'enable', '--now', ...unitNames]);
  const trips = { capture: [], apply: [], verify: [] };
  for (let run = 0; run <= runs; run++) {
    const captured = join(work, 'a.json');
    const capture = await cli(['discover', '--export', '-o', captured, ...aArgs]);
    const applied = await cli(['apply', '--yes', captured, ...bArgs]);
    const verified = await cli(['verify', captured, ...bArgs]);
    await cli(['apply', '--yes', original, ...bArgs]);
    if (run === 0) continue;
    trips.capture.push(capture);
    trips.apply.push(applied);
    trips.verify.push(verified);
  }
  inTarget(targetA, ['systemctl', 'disable', '--now', ...unitNames]);
  for (const path of unitPaths(targetA)) unlinkSync(path);
  inTarget(targetA, ['systemctl', 'daemon-reload']);
  const total = trips.capture.map((ms, index) => ms + trips.apply[index] + trips.verify[index]);
  print(`\n## Clone round trip: A with ${UNITS} units enabled and running → B (${runs} runs, medians)\n`);
  print(
    alignColumns([
      ['step', 'median', 'min', 'max'],
      ...Object.entries({
        'capture A (discover --export)': trips.capture,
        'apply to B (all sections)': trips.apply,
        'verify B': trips.verify,
        total,
      }).map(([label, list]) => {
        const summary = summarize(list);
        return [label, formatSeconds(summary.median), formatSeconds(summary.min), formatSeconds(summary.max)];
      }),
    ]),
  );
  print(`\nload average at end: ${loadAverage()}`);
} finally {
  rmSync(work, { recursive: true, force: true });
  testbed.release();
}
