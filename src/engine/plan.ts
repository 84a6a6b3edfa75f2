// Pure planning for a whole machine: each plugin's plan from the current and the desired document, merged
// and ordered by phase. No I/O: the same inputs always give the same plan and the same plan hash.
import type { Plugin } from '../plugins/types.js';
import { canonicalJson, sha256Hex } from '../state/canonical.js';
import { toDisplayPath } from '../state/json-path.js';
import type { MachineState } from '../state/schema.js';
import { type Change, PHASES, type PlanOptions, type Unresolved } from './change.js';

export interface SkippedSection {
  plugin: string;
  reason: string;
}

export interface MachinePlan {
  /** In the order they run: by phase, then plugin, then as each plugin planned them. */
  changes: Change[];
  unresolved: Unresolved[];
  /** Sections of the desired document this plan does not act on, and why. */
  skipped: SkippedSection[];
  /** Plugins whose sections were planned (the ones apply checkpoints and verifies). */
  planned: string[];
  /** SHA-256 of the canonical changes and unresolved items: what the ledger records. */
  hash: string;
}

export interface PlanMachineOptions extends PlanOptions {
  /** Plugins to plan for, in registry order. */
  plugins: readonly Plugin[];
}

export function planMachine(
  current: MachineState,
  desired: MachineState,
  options: PlanMachineOptions,
): MachinePlan {
  const changes: Change[] = [];
  const unresolved: Unresolved[] = [];
  const skipped: SkippedSection[] = [];
  const planned: string[] = [];
  for (const plugin of options.plugins) {
    const wanted = desired.sections[plugin.name];
    if (!wanted) continue;
    if (!plugin.writer) {
      skipped.push({ plugin: plugin.name, reason: 'observed only: op-dbus does not change this section' });
      continue;
    }
    const section = current.sections[plugin.name];
    if (!section) {
      const why = current.unavailable.find((entry) => entry.plugin === plugin.name)?.reason;
      unresolved.push({
        plugin: plugin.name,
        path: toDisplayPath(['sections', plugin.name]),
        description: `the current state of ${plugin.name} could not be read${why ? `: ${why}` : ''}`,
        blocking: true,
      });
      continue;
    }
    const plan = plugin.writer.plan(section as never, wanted.config as never, { prune: options.prune });
    planned.push(plugin.name);
    changes.push(...plan.changes);
    unresolved.push(...plan.unresolved);
  }
  const order = new Map(PHASES.map((phase, index) => [phase, index]));
  // Array.prototype.sort is stable, so plugin order and each plugin's own order survive within a phase.
  changes.sort((a, b) => (order.get(a.phase) ?? 0) - (order.get(b.phase) ?? 0));
  return { changes, unresolved, skipped, planned, hash: sha256Hex(canonicalJson({ changes, unresolved })) };
}

export function blockingItems(plan: MachinePlan): Unresolved[] {
  return plan.unresolved.filter((item) => item.blocking);
}
