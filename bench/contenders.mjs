// The three ways the benchmark gathers a target's state, each one whole process timed from the host:
// op-dbus (one Node process over the target's bus and root), the shell baseline (one bash inside the
// target running the stock tools) and Ansible (setup + service_facts + package_facts in one playbook).
import { readFileSync } from 'node:fs';
import { parseAnsibleReport } from './ansible-report.mjs';
import { parseBaselineOutput } from './baseline-output.mjs';
import { ansibleCounts, baselineCounts, opDbusCounts } from './comparable-counts.mjs';
import { runTimed } from './run-timed.mjs';
import { EXEC_IN_TARGET, REPO } from './testbed.mjs';

const HERE = new URL('.', import.meta.url).pathname;

const firstLines = (text, count = 5) => text.trim().split('\n').slice(0, count).join('\n');

/**
 * A run's outcome: { ms, failure?, warnings[], parts? } where parts are named sub-timings (ms) of the
 * same run (op-dbus plugins are not split here; shell sections and Ansible tasks are).
 */
export function opDbusContender({ target, root, outputFile, plugins = [], key = 'op-dbus' }) {
  const args = [
    `${REPO}bin/op-dbus.js`,
    'discover',
    '--export',
    '-o',
    outputFile,
    '--bus-address',
    target.busAddress,
    '--root',
    root,
    ...plugins.flatMap((plugin) => ['--plugin', plugin]),
  ];
  return {
    key,
    label: plugins.length > 0 ? `op-dbus --plugin ${plugins.join(',')}` : 'op-dbus discover --export',
    command: `node ${args.map((arg) => arg.replace(REPO, '')).join(' ')}`,
    async run() {
      const result = await runTimed(process.execPath, args);
      return {
        ms: result.ms,
        failure: result.code === 0 ? undefined : `exit ${result.code}: ${firstLines(result.stderr)}`,
        warnings: result.stderr.split('\n').filter((line) => line.startsWith('op-dbus: warning')),
      };
    },
    counts: () => opDbusCounts(JSON.parse(readFileSync(outputFile, 'utf8'))),
  };
}

export function shellContender({ target }) {
  const script = readFileSync(`${HERE}shell-baseline.sh`, 'utf8');
  let lastParsed;
  return {
    key: 'shell',
    label: 'shell baseline (bash in target)',
    command: `bash test/testbed/exec-in-target.sh ${target.name} bash -s < bench/shell-baseline.sh`,
    async run() {
      const result = await runTimed('bash', [EXEC_IN_TARGET, target.name, 'bash', '-s'], { input: script });
      lastParsed = parseBaselineOutput(result.stdout);
      return {
        ms: result.ms,
        failure: result.code === 0 ? undefined : `exit ${result.code}: ${firstLines(result.stderr)}`,
        warnings: [],
        parts: lastParsed.timingsMs,
      };
    },
    counts: () => baselineCounts(lastParsed),
  };
}

export function ansibleContender({ target }) {
  const interpreter = `${HERE}ansible/target-python.sh`;
  const args = ['-i', `${target.name},`, '-c', 'local', '-e', `ansible_python_interpreter=${interpreter}`];
  args.push(`${HERE}ansible/facts.yml`);
  const env = {
    ...process.env,
    ANSIBLE_CONFIG: `${HERE}ansible/ansible.cfg`,
    OPDBUS_BENCH_TARGET: target.name,
  };
  let lastTasks = [];
  return {
    key: 'ansible',
    label: 'ansible-playbook (3 modules)',
    command: `ANSIBLE_CONFIG=bench/ansible/ansible.cfg ansible-playbook ${args.map((arg) => arg.replace(REPO, '')).join(' ')}`,
    async run() {
      const result = await runTimed('ansible-playbook', args, { env });
      try {
        lastTasks = parseAnsibleReport(result.stdout);
      } catch (error) {
        return {
          ms: result.ms,
          failure: `${error.message}: ${firstLines(result.stderr || result.stdout)}`,
          warnings: [],
        };
      }
      const failed = lastTasks.filter((task) => task.status !== 'ok');
      return {
        ms: result.ms,
        failure: undefined,
        warnings: failed.map((task) => `ansible task ${task.name} ${task.status}: ${task.message ?? ''}`),
        parts: Object.fromEntries(
          lastTasks.map((task) => [task.module.replace(/^ansible\.builtin\./, ''), task.ms]),
        ),
      };
    },
    counts: () => ansibleCounts(lastTasks),
  };
}
