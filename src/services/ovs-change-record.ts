// Records each Open vSwitch change made through D-Bus in the machine's ledger, with the caller's uid; a
// failed attempt is recorded too, so the audit trail shows who tried what.
import type { CallerInfo } from '../dbus/service-types.js';
import { openLedger } from '../ledger/ledger.js';
import type { Machine } from '../machine/machine.js';
import { callerActor } from './service-context.js';

export interface OvsChange {
  /** Ledger action, e.g. ovs-create-bridge. */
  action: string;
  details: Record<string, string>;
}

/** Runs `work` (one OVSDB transaction), then records its outcome; a failure is recorded and rethrown. */
export async function recordedOvsChange<T>(
  openMachine: () => Machine,
  caller: CallerInfo,
  change: OvsChange,
  work: () => Promise<T>,
): Promise<T> {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
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
      details: outcome.ok ? change.details : { ...change.details, error: (outcome.error as Error).message },
    });
  } catch (error) {
    if (outcome.ok)
      throw new Error(`the change was made but the ledger could not record it: ${(error as Error).message}`);
  } finally {
    await machine.close();
  }
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
