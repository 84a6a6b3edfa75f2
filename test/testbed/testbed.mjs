// The testbed as code sees it (integration tests' global setup and the benchmark alike): where its
// description is, whether it is up, bringing it up and tearing down only what a caller started, and the
// host PID of a target's systemd.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const HERE = new URL('./', import.meta.url).pathname;
export const TESTBED_DIR = process.env.OPDBUS_TESTBED_DIR ?? '/run/op-dbus-testbed';

export function readTestbedEnv() {
  return JSON.parse(readFileSync(`${TESTBED_DIR}/env.json`, 'utf8'));
}

/**
 * Targets the integration suite uses: 1 and 2 for clones (A and B), 3 for kernel and package writes, 4 for
 * identity, network and deployments — so tests of one area never see another's changes.
 */
export const SUITE_TARGETS = 4;

/** Up means: env.json written (up.sh writes it last), enough targets, and every target's nspawn still alive. */
export function testbedIsUp() {
  if (!existsSync(`${TESTBED_DIR}/env.json`)) return false;
  const { targets } = readTestbedEnv();
  return (
    targets.length >= SUITE_TARGETS && targets.every((target) => existsSync(`/proc/${target.nspawnPid}`))
  );
}

function runTestbedScript(script, ...args) {
  const result = spawnSync('bash', [`${HERE}${script}`, ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`test/testbed/${script} failed with exit code ${result.status}`);
}

/**
 * Brings the testbed up unless it already is; `release()` tears down only a testbed this call started,
 * and keeps it when OPDBUS_TESTBED_KEEP=1.
 */
export function acquireTestbed(log = () => {}) {
  if (testbedIsUp()) return { env: readTestbedEnv(), startedHere: false, release: () => {} };
  log(
    'the testbed is not up: starting it with test/testbed/up.sh (about 3 s cached, 70–100 s on first build)',
  );
  runTestbedScript('up.sh', String(SUITE_TARGETS));
  const release = () => {
    if (process.env.OPDBUS_TESTBED_KEEP === '1') return log('keeping the testbed (OPDBUS_TESTBED_KEEP=1)');
    log('tearing down the testbed this run started (set OPDBUS_TESTBED_KEEP=1 to keep it)');
    runTestbedScript('down.sh');
  };
  return { env: readTestbedEnv(), startedHere: true, release };
}

/** Host PID of a target's systemd: the child of its nspawn process. */
export function containerInitPid(target) {
  const children = readFileSync(`/proc/${target.nspawnPid}/task/${target.nspawnPid}/children`, 'utf8').trim();
  const pid = Number(children.split(/\s+/)[0]);
  if (!Number.isInteger(pid) || pid <= 0)
    throw new Error(`target ${target.name}: nspawn ${target.nspawnPid} has no child`);
  return pid;
}
