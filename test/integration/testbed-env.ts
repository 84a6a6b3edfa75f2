// What integration tests know about the running testbed (written by test/testbed/up.sh), and how they
// reach a target: its bus, its root, commands run inside it, and the op-dbus CLI pointed at it.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { Machine } from '../../src/machine/machine.js';

const run = promisify(execFile);

export interface TestbedTarget {
  name: string;
  root: string;
  busAddress: string;
  netns: string;
  nspawnPid: number;
  hostAddress: string;
  targetAddress: string;
}

export interface TestbedEnv {
  stateDir: string;
  targets: TestbedTarget[];
  hostBus: { address: string; pid: number };
  etcd: { endpoint: string; pid: number };
  btrfs: { image: string; mountpoint: string; baseSubvolume: string };
}

export const TESTBED_DIR = process.env.OPDBUS_TESTBED_DIR ?? '/run/op-dbus-testbed';
const REPO = new URL('../../', import.meta.url).pathname;

export function loadTestbed(): TestbedEnv {
  return JSON.parse(readFileSync(`${TESTBED_DIR}/env.json`, 'utf8')) as TestbedEnv;
}

export function target(index: number): TestbedTarget {
  const found = loadTestbed().targets[index];
  if (!found) throw new Error(`testbed has no target #${index + 1}`);
  return found;
}

/** PID (host namespace) of the container's systemd: the child of the nspawn process. */
export function containerInitPid(t: TestbedTarget): number {
  const children = readFileSync(`/proc/${t.nspawnPid}/task/${t.nspawnPid}/children`, 'utf8')
    .trim()
    .split(/\s+/);
  const pid = Number(children[0]);
  if (!Number.isInteger(pid) || pid <= 0)
    throw new Error(`target ${t.name}: nspawn ${t.nspawnPid} has no child`);
  return pid;
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
