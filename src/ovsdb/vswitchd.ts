// ovs-vswitchd carries out what the database holds some time after a transaction commits. Like ovs-vsctl
// without --no-wait, a writer can wait for that: its transaction also bumps next_cfg, and ovs-vswitchd copies
// the number it has caught up with into cur_cfg. Unlike ovs-vsctl, we first ask whether an ovs-vswitchd runs at
// all (it holds the OVSDB lock "ovs_vswitchd"), so a database nobody carries out is never waited on.
import { withTimeout } from '../util/timeout.js';
import type { OvsdbClient } from './client.js';
import { optionalAtom } from './datum.js';
import type { OvsdbOperation, OvsdbOperationResult, OvsdbTableUpdates } from './operations.js';
import { VSWITCH_DB } from './vswitch-read.js';

export const VSWITCHD_LOCK = 'ovs_vswitchd';

/** Appended to a transaction: the new next_cfg, read back in the same transaction (its last result). */
const REQUEST_RECONFIGURATION: readonly OvsdbOperation[] = [
  { op: 'mutate', table: VSWITCH_DB, where: [], mutations: [['next_cfg', '+=', 1]] },
  { op: 'select', table: VSWITCH_DB, where: [], columns: ['next_cfg'] },
];

export class VswitchdTimeoutError extends Error {
  constructor(configNumber: number, timeoutMs: number) {
    super(
      `ovs-vswitchd did not carry out configuration ${configNumber} within ${timeoutMs} ms; the database holds the change (ovs-vswitchd applies it when it catches up)`,
    );
    this.name = 'VswitchdTimeoutError';
  }
}

export interface InterfaceSetupProblem {
  interface: string;
  /** ovs-vswitchd's own words, from the Interface's error column. */
  error: string;
}

export interface SettledTransaction {
  results: OvsdbOperationResult[];
  /** Whether an ovs-vswitchd was running and has carried the transaction out. */
  carriedOut: boolean;
  /** The given interfaces ovs-vswitchd could not set up (ofport -1), as `ovs-vsctl` reports them. */
  setupProblems: InterfaceSetupProblem[];
}

const configNumber = (row: Record<string, unknown> | undefined, column: string): number => {
  const value = optionalAtom(row?.[column]);
  return typeof value === 'number' ? value : -1;
};

/** Resolves once the switch's cur_cfg has reached `target` (ovs-vswitchd has applied that configuration). */
async function untilCarriedOut(client: OvsdbClient, target: number, timeoutMs: number): Promise<void> {
  let reached: () => void = () => {};
  const carriedOut = new Promise<void>((resolve) => {
    reached = resolve;
  });
  const check = (updates: OvsdbTableUpdates) => {
    for (const row of Object.values(updates[VSWITCH_DB] ?? {}))
      if (configNumber(row.new, 'cur_cfg') >= target) reached();
  };
  const monitor = await client.monitor(VSWITCH_DB, { [VSWITCH_DB]: { columns: ['cur_cfg'] } }, check);
  try {
    check(monitor.initial);
    await withTimeout(carriedOut, timeoutMs, () => new VswitchdTimeoutError(target, timeoutMs));
  } finally {
    await monitor.cancel();
  }
}

async function setupProblems(
  client: OvsdbClient,
  interfaces: readonly string[],
): Promise<InterfaceSetupProblem[]> {
  if (interfaces.length === 0) return [];
  const [selected] = await client.transact(VSWITCH_DB, [
    { op: 'select', table: 'Interface', where: [], columns: ['name', 'ofport', 'error'] },
  ]);
  const wanted = new Set(interfaces);
  return (selected?.rows ?? [])
    .filter((row) => wanted.has(String(row.name)) && configNumber(row, 'ofport') === -1)
    .map((row) => ({
      interface: String(row.name),
      error: String(optionalAtom(row.error) ?? 'ovs-vswitchd gave no reason'),
    }));
}

/**
 * Commits `operations` as one transaction and, when an ovs-vswitchd runs, waits until it has carried them out
 * and reports which of `interfaces` it could not set up. The results are those of `operations` alone.
 */
export async function transactSettled(
  client: OvsdbClient,
  operations: readonly OvsdbOperation[],
  { interfaces = [], timeoutMs }: { interfaces?: readonly string[]; timeoutMs: number },
): Promise<SettledTransaction> {
  if (!(await client.lockHeldElsewhere(VSWITCHD_LOCK))) {
    const results = await client.transact(VSWITCH_DB, operations, timeoutMs);
    return { results, carriedOut: false, setupProblems: [] };
  }
  const all = await client.transact(VSWITCH_DB, [...operations, ...REQUEST_RECONFIGURATION], timeoutMs);
  await untilCarriedOut(client, configNumber(all.at(-1)?.rows?.[0], 'next_cfg'), timeoutMs);
  return {
    results: all.slice(0, operations.length),
    carriedOut: true,
    setupProblems: await setupProblems(client, interfaces),
  };
}
