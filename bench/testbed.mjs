// The benchmark's view of the integration testbed (test/testbed): bring it up when it is not, find a
// target, and reach inside it. It never tears down a testbed it did not start.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const REPO = new URL('..', import.meta.url).pathname;
const STATE_DIR = process.env.OPDBUS_TESTBED_DIR ?? '/run/op-dbus-testbed';
export const EXEC_IN_TARGET = `${REPO}test/testbed/exec-in-target.sh`;

function readEnv() {
  return JSON.parse(readFileSync(`${STATE_DIR}/env.json`, 'utf8'));
}

/** Up means: env.json written (it comes last) and every target's nspawn still alive. */
function testbedIsUp() {
  if (!existsSync(`${STATE_DIR}/env.json`)) return false;
  return readEnv().targets.every((target) => existsSync(`/proc/${target.nspawnPid}`));
}

function runTestbedScript(script) {
  const result = spawnSync('bash', [`${REPO}test/testbed/${script}`], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`test/testbed/${script} failed with exit code ${result.status}`);
}

/** Brings the testbed up unless it already is; `release()` tears down only what this call started. */
export function acquireTestbed(log) {
  if (testbedIsUp()) return { env: readEnv(), startedHere: false, release: () => {} };
  log(
    'the testbed is not up: starting it with test/testbed/up.sh (about 3 s cached, 70–100 s on first build)',
  );
  runTestbedScript('up.sh');
  const release = () => {
    if (process.env.OPDBUS_TESTBED_KEEP === '1') return log('keeping the testbed (OPDBUS_TESTBED_KEEP=1)');
    log('tearing down the testbed this run started (set OPDBUS_TESTBED_KEEP=1 to keep it)');
    runTestbedScript('down.sh');
  };
  return { env: readEnv(), startedHere: true, release };
}

/** A target by 1-based index or by name. */
export function selectTarget(env, which) {
  const found = /^\d+$/.test(which)
    ? env.targets[Number(which) - 1]
    : env.targets.find((t) => t.name === which);
  if (!found)
    throw new Error(
      `the testbed has no target "${which}" (it has ${env.targets.map((t) => t.name).join(', ')})`,
    );
  return found;
}

/** Host PID of the target's systemd: the child of its nspawn process. */
export function containerInitPid(target) {
  const children = readFileSync(`/proc/${target.nspawnPid}/task/${target.nspawnPid}/children`, 'utf8').trim();
  const pid = Number(children.split(/\s+/)[0]);
  if (!Number.isInteger(pid) || pid <= 0)
    throw new Error(`target ${target.name}: nspawn ${target.nspawnPid} has no child`);
  return pid;
}
