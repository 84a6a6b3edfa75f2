// A capture is an event of the machine's audit trail: `discover --export` run as root records it in the
// machine's ledger (what was captured, its config hash). Recording never fails the capture itself.
import { currentActor, openLedger } from '../ledger/ledger.js';
import type { Machine } from '../machine/machine.js';
import type { MachineState } from '../state/schema.js';

export async function recordCapture(machine: Machine, state: MachineState): Promise<void> {
  // The ledger is root's (its key is 0600); a user's capture is not an event of the machine's trail.
  if (process.getuid?.() !== 0) return;
  try {
    await openLedger(machine).append({
      actor: currentActor(),
      action: 'discover',
      planHash: null,
      stateBefore: null,
      stateAfter: state.integrity.config,
      result: 'ok',
      details: { sections: Object.keys(state.sections), document: state.integrity.document },
    });
  } catch (error) {
    process.stderr.write(
      `op-dbus: warning: the capture was not recorded in the ledger: ${(error as Error).message}\n`,
    );
  }
}
