// Records each Open vSwitch change made through D-Bus in the machine's ledger, with the caller's uid; a
// failed attempt is recorded too, so the audit trail shows who tried what. A change ovs-vswitchd could not set
// up stays committed, as with ovs-vsctl: it is recorded as made, and the caller gets SetupFailed saying why;
// so does one that was committed but not seen through by ovs-vswitchd (Timeout, or the error that stopped the wait).
import { type CallerInfo, ServiceMethodError } from '../dbus/service-types.js';
import { openLedger } from '../ledger/ledger.js';
import type { Machine } from '../machine/machine.js';
import type { InterfaceSetupProblem, SettledTransaction } from '../ovsdb/vswitchd.js';
import type { OvsChangeContext } from './ovs-changes.js';
import { OVSDB_ERROR, type OvsdbSession, ovsdbErrorName } from './ovsdb-session.js';
import { callerActor } from './service-context.js';

/** What the OVS services work with: the OVSDB session, and the machine whose ledger records each change. */
export interface OvsServiceOptions {
  ovsdb: OvsdbSession;
  openMachine(): Machine;
}

export interface OvsChange {
  /** Ledger action, e.g. ovs-create-bridge. */
  action: string;
  details: Record<string, string>;
  /** What it is in ovs-vsctl's words (add-br br0 …), for the transaction's comment. */
  summary: string;
}

/** What a transaction's comment says, so `ovsdb-tool show-log` tells who made each change. */
export const changeComment = (caller: CallerInfo, what: string) =>
  `op-dbus (D-Bus, uid ${caller.uid}): ${what}`;

const describeProblems = (problems: readonly InterfaceSetupProblem[]) =>
  problems.map((problem) => `${problem.interface}: ${problem.error}`).join('; ');

/** Makes `change` (one OVSDB transaction) on the session's client, then records its outcome; a failure is recorded and rethrown. */
export async function recordedOvsChange(
  { ovsdb, openMachine }: OvsServiceOptions,
  caller: CallerInfo,
  change: OvsChange,
  make: (context: OvsChangeContext) => Promise<SettledTransaction>,
): Promise<void> {
  const work = () =>
    ovsdb.use((client) =>
      make({ client, comment: changeComment(caller, change.summary), timeoutMs: ovsdb.timeoutMs }),
    );
  let outcome: { ok: true; value: SettledTransaction } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await work() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const machine = openMachine();
  try {
    await openLedger(machine).append({
      actor: callerActor(caller),
      action: change.action,
      planHash: null,
      stateBefore: null,
      stateAfter: null,
      result: outcome.ok ? 'ok' : 'failed',
      details: outcome.ok ? madeDetails(change, outcome.value) : failedDetails(change, outcome.error),
    });
  } catch (error) {
    if (outcome.ok)
      throw new Error(`the change was made but the ledger could not record it: ${(error as Error).message}`);
  } finally {
    await machine.close();
  }
  if (!outcome.ok) throw outcome.error;
  const { setupProblems, waitError } = outcome.value;
  if (waitError)
    throw new ServiceMethodError(
      ovsdbErrorName(waitError) ?? OVSDB_ERROR.transaction,
      `the change is committed, but waiting for ovs-vswitchd failed: ${waitError.message}`,
    );
  if (setupProblems.length > 0)
    throw new ServiceMethodError(
      OVSDB_ERROR.setupFailed,
      `ovs-vswitchd could not set up ${describeProblems(setupProblems)} (the change stays in the database, as with ovs-vsctl)`,
    );
}

function madeDetails(change: OvsChange, settled: SettledTransaction): Record<string, string> {
  return {
    ...change.details,
    ...(settled.setupProblems.length > 0 ? { setupProblems: describeProblems(settled.setupProblems) } : {}),
    ...(settled.waitError ? { vswitchdWait: settled.waitError.message } : {}),
  };
}

const failedDetails = (change: OvsChange, error: unknown) => ({
  ...change.details,
  error: (error as Error).message,
});
