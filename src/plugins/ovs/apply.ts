// Carries out and undoes the ovs change: read the live switch, build the operations from it to the wanted
// configuration, and send them as ONE transaction — so the server commits all or nothing, and undo (the same
// path towards the checkpoint) is correct whether the apply committed, failed or never reached the server.
// When an ovs-vswitchd runs, the change is done once it has carried the transaction out (as ovs-vsctl waits).
// The transaction's guards fail it when another client changed a row it refers to since the read; then the
// switch is read again and the transaction rebuilt.
import type { Change } from '../../engine/change.js';
import type { Machine } from '../../machine/machine.js';
import { failedGuard } from '../../ovsdb/guards.js';
import type { VswitchConfig } from '../../ovsdb/vswitch-model.js';
import { readVswitch } from '../../ovsdb/vswitch-read.js';
import { vswitchOperations } from '../../ovsdb/vswitch-transaction.js';
import { transactSettled } from '../../ovsdb/vswitchd.js';
import { toDisplayPath } from '../../state/json-path.js';
import type { ApplyContext } from '../types.js';
import { PLUGIN } from './plan.js';
import { restoreWithheld } from './secrets.js';

interface OvsCheckpoint {
  /** The switch as it was, secrets included (the journal is root-only). */
  config: VswitchConfig;
}

/** Reads, builds and sends again when another client changed a row the transaction refers to: at most this often. */
const ATTEMPTS = 3;

async function convergeTo(
  machine: Machine,
  wanted: VswitchConfig,
  comment: string,
  timeoutMs: number,
): Promise<void> {
  const client = await machine.ovsdb();
  for (let attempt = 1; ; attempt++) {
    const live = await readVswitch(client);
    const { config, missing } = restoreWithheld(wanted, live.config);
    if (missing.length > 0) {
      const paths = missing.map((path) => toDisplayPath(['sections', PLUGIN, 'config', ...path]));
      throw new Error(
        `cannot write secrets the capture withheld and the switch does not have: ${paths.join(', ')}`,
      );
    }
    const { guards, operations } = vswitchOperations(live, config, comment);
    if (operations.length === 0) return;
    try {
      const settled = await transactSettled(client, [...guards, ...operations], { timeoutMs });
      // Committed, but not seen through: a failed change, which the engine undoes.
      if (settled.waitError) throw settled.waitError;
      return;
    } catch (error) {
      if (failedGuard(error, guards.length) === undefined) throw error;
      if (attempt === ATTEMPTS)
        throw new Error(
          `another OVSDB client changed the rows this change refers to ${ATTEMPTS} times while it was being sent; nothing of it was committed`,
        );
    }
  }
}

export async function checkpointOvs(_changes: readonly Change[], machine: Machine): Promise<OvsCheckpoint> {
  return { config: (await readVswitch(await machine.ovsdb())).config };
}

export async function applyOvsChange(change: Change, machine: Machine, context: ApplyContext): Promise<void> {
  await convergeTo(
    machine,
    change.after as VswitchConfig,
    `op-dbus apply: ${change.description}`,
    context.changeTimeoutMs,
  );
}

export async function undoOvsChange(
  _change: Change,
  checkpoint: unknown,
  machine: Machine,
  context: ApplyContext,
): Promise<void> {
  const { config } = checkpoint as OvsCheckpoint;
  await convergeTo(machine, config, 'op-dbus rollback to the checkpoint', context.changeTimeoutMs);
}
