// `npm run bench` (as root): how long `op-dbus discover --export` takes on a testbed target, against a
// shell script gathering the same data with the stock tools and against Ansible's fact gathering.
// Method and results: BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureAnsibleCore } from './ansible-install.mjs';
import { ansibleContender, opDbusContender, shellContender } from './contenders.mjs';
import { describeMachine, loadAverage } from './machine-info.mjs';
import { measurePluginBreakdown } from './plugin-breakdown.mjs';
import { alignColumns, countRows, ratioSentence, timingRows } from './report.mjs';
import { formatSeconds, summarize, summarizeByName } from './stats.mjs';
import { acquireTestbed, containerInitPid, REPO, selectTarget } from './testbed.mjs';

const USAGE = `usage: sudo npm run bench [-- OPTIONS]

  --runs N       measured runs of each contender, after one warm-up (default $OPDBUS_BENCH_RUNS or 10)
  --target T     testbed target, by 1-based index or name (default 1)
  --no-ansible   leave Ansible out
  --per-plugin   also time Node start-up and each op-dbus plugin on its own
  --json FILE    also write all results as JSON to FILE
`;

const log = (message) => process.stderr.write(`bench: ${message}\n`);
const print = (text = '') => process.stdout.write(`${text}\n`);

function readOptions() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: process.env.OPDBUS_BENCH_RUNS ?? '10' },
      target: { type: 'string', default: '1' },
      'no-ansible': { type: 'boolean', default: false },
      'per-plugin': { type: 'boolean', default: false },
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (!/^[1-9]\d*$/.test(values.runs))
    throw new Error(`--runs must be a positive integer, got "${values.runs}"`);
  return {
    runs: Number(values.runs),
    target: values.target,
    ansible: !values['no-ansible'],
    perPlugin: values['per-plugin'],
    json: values.json,
  };
}

function checkPrerequisites() {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'the benchmark needs root (it boots and enters systemd containers): run `sudo npm run bench`',
    );
  }
  const version = spawnSync(process.execPath, [`${REPO}bin/op-dbus.js`, '--version'], { encoding: 'utf8' });
  if (version.status !== 0) {
    const why = version.stderr.trim().split('\n').slice(0, 3).join('\n');
    throw new Error(`op-dbus does not start (run \`npm run build\` first?):\n${why}`);
  }
}

const warned = new Set();

/**
 * One run of a contender. A failed run ends the benchmark, since its time would mean nothing; a
 * warning (a plugin that failed, an Ansible task that failed) is shown once, as it changes what was timed.
 */
async function runChecked(contender) {
  const outcome = await contender.run();
  if (outcome.failure)
    throw new Error(`${contender.label} failed: ${outcome.failure}\n  command: ${contender.command}`);
  for (const warning of outcome.warnings) {
    if (!warned.has(warning)) log(`warning: ${warning}`);
    warned.add(warning);
  }
  return outcome;
}

async function measure(contenders, runs) {
  const outcomes = Object.fromEntries(contenders.map((contender) => [contender.key, []]));
  for (let round = 0; round < runs; round++) {
    log(`round ${round + 1}/${runs}`);
    // Rotating the order keeps any one contender from always running right after another.
    const shift = round % contenders.length;
    for (const contender of [...contenders.slice(shift), ...contenders.slice(0, shift)]) {
      outcomes[contender.key].push(await runChecked(contender));
    }
  }
  return contenders.map(({ key, label, command }) => ({
    key,
    label,
    command,
    samples: outcomes[key].map((outcome) => outcome.ms),
    summary: summarize(outcomes[key].map((outcome) => outcome.ms)),
    parts: summarizeByName(outcomes[key].map((outcome) => outcome.parts ?? {})),
  }));
}

function printParts(title, parts, limit) {
  const rows = Object.entries(parts)
    .sort(([, a], [, b]) => b.median - a.median)
    .slice(0, limit)
    .map(([name, summary]) => [
      `  ${name}`,
      formatSeconds(summary.median),
      formatSeconds(summary.min),
      formatSeconds(summary.max),
    ]);
  if (rows.length === 0) return;
  print();
  print(title);
  print(alignColumns([['', 'median', 'min', 'max'], ...rows]));
}

function printPluginBreakdown({ startup, plugins }) {
  print();
  print('op-dbus by plugin (medians): alone = whole process with --plugin NAME; in full run = its own time');
  const rows = plugins.map(({ name, alone, inFullRun }) => [
    `  ${name}`,
    formatSeconds(alone.median),
    inFullRun ? formatSeconds(inFullRun.median) : '–',
  ]);
  print(
    alignColumns([
      ['', 'alone', 'in full run'],
      [`  (Node + CLI start-up, --version)`, formatSeconds(startup.median), '–'],
      ...rows,
    ]),
  );
}

async function main() {
  const options = readOptions();
  checkPrerequisites();
  const testbed = acquireTestbed(log);
  const workDir = mkdtempSync(join(tmpdir(), 'op-dbus-bench-'));
  try {
    const target = selectTarget(testbed.env, options.target);
    const root = `/proc/${containerInitPid(target)}/root`;
    const ansibleVersion = options.ansible ? ensureAnsibleCore(log) : undefined;
    const outputFile = join(workDir, 'capture.json');
    const contenders = [opDbusContender({ target, root, outputFile }), shellContender({ target })];
    if (options.ansible) contenders.push(ansibleContender({ target }));

    const machine = describeMachine();
    print(
      `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.distribution}`,
    );
    print(
      `         kernel ${machine.kernel}, node ${machine.node}${ansibleVersion ? `, ${ansibleVersion}` : ''}`,
    );
    print(
      `target:  ${target.name} (systemd-nspawn container, testbed ${testbed.startedHere ? 'started by this run' : 'already up'})`,
    );
    const loadBefore = loadAverage();
    print(
      `runs:    ${options.runs} of each after one warm-up, interleaved; load average ${loadBefore} at start`,
    );
    for (const contender of contenders) print(`  ${contender.key}: ${contender.command}`);

    log('warm-up');
    const counts = {};
    for (const contender of contenders) {
      await runChecked(contender);
      counts[contender.key] = contender.counts();
    }
    print();
    print('what each side gathered (warm-up run):');
    print(alignColumns(countRows(counts)));

    const results = await measure(contenders, options.runs);
    const loadAfter = loadAverage();
    print();
    print(`wall time, ${options.runs} runs each (load average ${loadAfter} at the end):`);
    print(alignColumns(timingRows(results, 'op-dbus')));
    print();
    print(ratioSentence(results, 'op-dbus'));
    const byKey = Object.fromEntries(results.map((result) => [result.key, result]));
    if (byKey.ansible) printParts('ansible by task (inside the one playbook run):', byKey.ansible.parts);
    printParts('shell baseline, slowest sections:', byKey.shell.parts, 6);

    const breakdown = options.perPlugin
      ? await measurePluginBreakdown({ runs: options.runs, target, root, outputFile, log })
      : undefined;
    if (breakdown) printPluginBreakdown(breakdown);

    if (options.json) {
      const document = {
        date: new Date().toISOString(),
        machine,
        ansibleVersion,
        target: target.name,
        runs: options.runs,
      };
      writeFileSync(
        options.json,
        `${JSON.stringify({ ...document, counts, results, breakdown }, null, 2)}\n`,
      );
      log(`results written to ${options.json}`);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    testbed.release();
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.message}\n`);
  process.exitCode = 1;
});
