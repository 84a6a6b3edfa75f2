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
  /** Private key whose public half is root's authorized key in every target. */
  sshKey: string;
}

export const TESTBED_DIR: string;
export function readTestbedEnv(): TestbedEnv;
export function testbedIsUp(): boolean;
export function acquireTestbed(log?: (line: string) => void): {
  env: TestbedEnv;
  startedHere: boolean;
  release: () => void;
};
export function containerInitPid(target: Pick<TestbedTarget, 'name' | 'nspawnPid'>): number;
