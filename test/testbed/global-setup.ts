// vitest global setup for the integration suite: brings the real testbed up (as root) and, if this run
// started it, tears it down afterwards (set OPDBUS_TESTBED_KEEP=1 to keep it for the next run).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { requireRootMessage } from './require-root.mjs';

const HERE = new URL('./', import.meta.url).pathname;
const STATE_DIR = process.env.OPDBUS_TESTBED_DIR ?? '/run/op-dbus-testbed';

function runScript(script: string): void {
  const result = spawnSync('bash', [`${HERE}${script}`], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`test/testbed/${script} failed with exit code ${result.status}`);
}

/** A testbed counts as already up only if its env.json exists and every target's nspawn is alive. */
function testbedIsUp(): boolean {
  if (!existsSync(`${STATE_DIR}/env.json`)) return false;
  const env = JSON.parse(readFileSync(`${STATE_DIR}/env.json`, 'utf8')) as {
    targets: { nspawnPid: number }[];
  };
  return env.targets.every((target) => existsSync(`/proc/${target.nspawnPid}`));
}

export default function setup(): () => void {
  const problem = requireRootMessage();
  if (problem) throw new Error(problem);
  const wasUp = testbedIsUp();
  runScript('up.sh');
  return () => {
    if (!wasUp && process.env.OPDBUS_TESTBED_KEEP !== '1') runScript('down.sh');
  };
}
