// Carries out and undoes the ovs change: read the live switch, build the operations from it to the wanted
// configuration, and send them as ONE transaction — so the server commits all or nothing, and undo (the same
// path towards the checkpoint) is correct whether the apply committed, failed or never reached the server.
// When an ovs-vswitchd runs, the change is done once it has carried the transaction out (as ovs-vsctl waits).
import type { Change } from '../../engine/change.js';
import type { Machine } from '../../machine/machine.js';
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

async function convergeTo(
  machine: Machine,
  wanted: VswitchConfig,
  comment: string,
  timeoutMs: number,
): Promise<void> {
  const client = await machine.ovsdb();
  const live = await readVswitch(client);
  const { config, missing } = restoreWithheld(wanted, live.config);
  if (missing.length > 0) {
    const paths = missing.map((path) => toDisplayPath(['sections', PLUGIN, 'config', ...path]));
    throw new Error(
      `cannot write secrets the capture withheld and the switch does not have: ${paths.join(', ')}`,
    );
  }
  const operations = vswitchOperations(live, config, comment);
  if (operations.length > 0) await transactSettled(client, operations, { timeoutMs });
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
