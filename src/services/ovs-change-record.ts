// Records each Open vSwitch change made through D-Bus in the machine's ledger, with the caller's uid; a
// failed attempt is recorded too, so the audit trail shows who tried what. A change ovs-vswitchd could not set
// up stays committed, as with ovs-vsctl: it is recorded as made, and the caller gets SetupFailed saying why.
import { type CallerInfo, ServiceMethodError } from '../dbus/service-types.js';
import { openLedger } from '../ledger/ledger.js';
import type { Machine } from '../machine/machine.js';
import type { InterfaceSetupProblem, SettledTransaction } from '../ovsdb/vswitchd.js';
import { OVSDB_ERROR } from './ovsdb-session.js';
import { callerActor } from './service-context.js';

export interface OvsChange {
  /** Ledger action, e.g. ovs-create-bridge. */
  action: string;
  details: Record<string, string>;
}

const describeProblems = (problems: readonly InterfaceSetupProblem[]) =>
  problems.map((problem) => `${problem.interface}: ${problem.error}`).join('; ');

/** Runs `work` (one OVSDB transaction), then records its outcome; a failure is recorded and rethrown. */
export async function recordedOvsChange(
  openMachine: () => Machine,
  caller: CallerInfo,
  change: OvsChange,
  work: () => Promise<SettledTransaction>,
): Promise<void> {
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
  const { setupProblems } = outcome.value;
  if (setupProblems.length > 0)
    throw new ServiceMethodError(
      OVSDB_ERROR.setupFailed,
      `ovs-vswitchd could not set up ${describeProblems(setupProblems)} (the change stays in the database, as with ovs-vsctl)`,
    );
}

function madeDetails(change: OvsChange, settled: SettledTransaction): Record<string, string> {
  if (settled.setupProblems.length === 0) return change.details;
  return { ...change.details, setupProblems: describeProblems(settled.setupProblems) };
}

const failedDetails = (change: OvsChange, error: unknown) => ({
  ...change.details,
  error: (error as Error).message,
});
