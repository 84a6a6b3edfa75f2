// ovs-vswitchd carries out what the database holds some time after a transaction commits. Like ovs-vsctl
// without --no-wait, a writer can wait for that: its transaction also bumps next_cfg, and ovs-vswitchd copies
// the number it has caught up with into cur_cfg. Unlike ovs-vsctl, we first ask whether an ovs-vswitchd runs at
// all (it holds the OVSDB lock "ovs_vswitchd"), so a database nobody carries out is never waited on.
import { withTimeout } from '../util/timeout.js';
import type { OvsdbClient } from './client.js';
import { optionalAtom } from './datum.js';
import type { OvsdbOperation, OvsdbTableUpdates } from './operations.js';
import { VSWITCH_DB } from './vswitch-read.js';

const VSWITCHD_LOCK = 'ovs_vswitchd';

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

/** What became of a committed transaction in ovs-vswitchd. Nothing here is thrown: the transaction IS committed. */
export interface SettledTransaction {
  /** The given interfaces ovs-vswitchd could not set up (ofport -1), as `ovs-vsctl` reports them. */
  setupProblems: InterfaceSetupProblem[];
  /** Why waiting for ovs-vswitchd, or reading what it did, failed after the commit. */
  waitError?: Error;
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
  const columns = { [VSWITCH_DB]: { columns: ['cur_cfg'] } };
  const monitor = await client.monitor(VSWITCH_DB, columns, check, timeoutMs);
  try {
    check(monitor.initial);
    await withTimeout(carriedOut, timeoutMs, () => new VswitchdTimeoutError(target, timeoutMs));
  } finally {
    // Best effort: after a reconnect the server no longer knows the monitor, and the client forgets it anyway.
    await monitor.cancel().catch(() => {});
  }
}

async function setupProblems(
  client: OvsdbClient,
  interfaces: readonly string[],
  timeoutMs: number,
): Promise<InterfaceSetupProblem[]> {
  if (interfaces.length === 0) return [];
  const select: OvsdbOperation = {
    op: 'select',
    table: 'Interface',
    where: [],
    columns: ['name', 'ofport', 'error'],
  };
  const [selected] = await client.transact(VSWITCH_DB, [select], timeoutMs);
  const wanted = new Set(interfaces);
  return (selected?.rows ?? [])
    .filter((row) => wanted.has(String(row.name)) && configNumber(row, 'ofport') === -1)
    .map((row) => ({
      interface: String(row.name),
      error: String(optionalAtom(row.error) ?? 'ovs-vswitchd gave no reason (see its log)'),
    }));
}

/**
 * Commits `operations` as one transaction and, when an ovs-vswitchd runs, waits until it has carried them out
 * and reports which of `interfaces` it could not set up. Throws only while nothing can have been committed (or
 * when the transaction's reply never came); after the commit, problems are returned. `timeoutMs` bounds it all.
 */
export async function transactSettled(
  client: OvsdbClient,
  operations: readonly OvsdbOperation[],
  { interfaces = [], timeoutMs }: { interfaces?: readonly string[]; timeoutMs: number },
): Promise<SettledTransaction> {
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  if (!(await client.lockHeldElsewhere(VSWITCHD_LOCK, left()))) {
    await client.transact(VSWITCH_DB, operations, left());
    return { setupProblems: [] };
  }
  const results = await client.transact(VSWITCH_DB, [...operations, ...REQUEST_RECONFIGURATION], left());
  const target = configNumber(results.at(-1)?.rows?.[0], 'next_cfg');
  // No root row: nothing to count configurations by (and nothing ovs-vswitchd would run).
  if (target < 0) return { setupProblems: [] };
  try {
    await untilCarriedOut(client, target, left());
    return { setupProblems: await setupProblems(client, interfaces, left()) };
  } catch (error) {
    return { setupProblems: [], waitError: error as Error };
  }
}
