// What integration tests know about the running testbed (written by test/testbed/up.sh), and how they
// reach a target: its bus, its root, commands run inside it, and the op-dbus CLI pointed at it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Machine } from '../../src/machine/machine.js';
import { containerInitPid, readTestbedEnv, type TestbedTarget } from '../testbed/testbed.mjs';

const run = promisify(execFile);
const REPO = new URL('../../', import.meta.url).pathname;

export type { TestbedEnv, TestbedTarget } from '../testbed/testbed.mjs';
export { containerInitPid, readTestbedEnv as loadTestbed, TESTBED_DIR } from '../testbed/testbed.mjs';

export function target(index: number): TestbedTarget {
  const found = readTestbedEnv().targets[index];
  if (!found) throw new Error(`testbed has no target #${index + 1}`);
  return found;
}

/** The container's own view of its files, /proc and /sys included. */
export function containerRoot(t: TestbedTarget): string {
  return `/proc/${containerInitPid(t)}/root`;
}

export function machineFor(t: TestbedTarget, root = containerRoot(t)): Machine {
  return new Machine({ busAddress: t.busAddress, root });
}

/** Runs a command inside the target (all its namespaces); resolves with stdout. */
export async function execInTarget(t: TestbedTarget, command: string[]): Promise<string> {
  const { stdout } = await run('bash', [`${REPO}test/testbed/exec-in-target.sh`, t.name, ...command], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

export function targetArgs(t: TestbedTarget, root = containerRoot(t)): string[] {
  return ['--bus-address', t.busAddress, '--root', root];
}
