// Undoing an apply from its journal: every change that may have taken effect is undone (reverse order, then
// reloads and restarts forward), each undo journaled, and the machine re-read to prove it is back where it was.
import type { Machine } from '../machine/machine.js';
import type { ApplyContext, Plugin } from '../plugins/types.js';
import { canonicalJson } from '../state/canonical.js';
import type { Change } from './change.js';
import { diffConfigs, type ItemDiff } from './diff.js';
import { discoverMachine } from './discover.js';
import { changesToUndo, type Journal, recordProgress } from './journal.js';

export interface RollbackEvents {
  onUndo?(change: Change, error?: Error): void;
}

export interface RollbackResult {
  /** The affected sections, re-read, equal their config before the apply. */
  restored: boolean;
  undone: number;
  undoErrors: { change: string; error: string }[];
  /** What still differs from the checkpoint when not restored. */
  remaining: ItemDiff[];
  /** Config hash of the machine after the rollback. */
  stateAfter: string;
}

/** Immediate undos newest first, then the ones marked undoLast (reloads, restarts) in their original order. */
export function undoOrder(changes: readonly Change[]): Change[] {
  const immediate = changes.filter((change) => !change.undoLast).reverse();
  const last = changes.filter((change) => change.undoLast);
  return [...immediate, ...last];
}

export async function rollBack(
  machine: Machine,
  journal: Journal,
  registry: readonly Plugin[],
  context: ApplyContext,
  events: RollbackEvents = {},
): Promise<RollbackResult> {
  const byName = new Map(registry.map((plugin) => [plugin.name, plugin]));
  const undoErrors: RollbackResult['undoErrors'] = [];
  let undone = 0;
  for (const change of undoOrder(changesToUndo(journal))) {
    const writer = byName.get(change.plugin)?.writer;
    try {
      if (!writer) throw new Error(`this op-dbus has no writer for plugin ${change.plugin}`);
      await writer.undo(change, journal.header.checkpoints[change.plugin], machine, context);
      await recordProgress(machine, { change: change.id, event: 'undone' });
      undone++;
      events.onUndo?.(change);
    } catch (error) {
      // One undo failing must not stop the others: each puts back its own part of the machine.
      const message = (error as Error).message;
      undoErrors.push({ change: change.id, error: message });
      await recordProgress(machine, { change: change.id, event: 'undo-failed', error: message }).catch(
        () => undefined,
      );
      events.onUndo?.(change, error as Error);
    }
  }
  const affected = registry.filter((plugin) => journal.header.plugins.includes(plugin.name));
  const { state } = await discoverMachine(machine, { plugins: affected, registry });
  const remaining: ItemDiff[] = [];
  for (const plugin of affected) {
    const now = state.sections[plugin.name]?.config;
    const before = journal.header.configBefore[plugin.name];
    if (canonicalJson(now) === canonicalJson(before)) continue;
    remaining.push(...diffConfigs(plugin.name, before, now).filter((item) => item.status !== 'identical'));
  }
  return {
    // The proof is the re-read machine, not the undo calls: an undo of a change that never took effect may fail harmlessly.
    restored: remaining.length === 0,
    undone,
    undoErrors,
    remaining,
    stateAfter: state.integrity.config,
  };
}
