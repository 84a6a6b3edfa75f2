// Drift: the live machine against a desired state. Drift is exactly what a plan would change plus what it
// cannot change, so `verify` says "no drift" precisely when `apply` would have nothing to do.
import type { Machine } from '../machine/machine.js';
import type { Plugin } from '../plugins/types.js';
import type { MachineState } from '../state/schema.js';
import { discoverMachine } from './discover.js';
import { type MachinePlan, planMachine } from './plan.js';

export interface PlanAgainstOptions {
  plugins: readonly Plugin[];
  registry: readonly Plugin[];
  prune: boolean;
}

export interface PlanAgainstResult {
  current: MachineState;
  plan: MachinePlan;
}

/** Discovers the sections the desired state has (of the selected plugins) and plans from them. */
export async function planAgainstMachine(
  machine: Machine,
  desired: MachineState,
  options: PlanAgainstOptions,
): Promise<PlanAgainstResult> {
  const selected = options.plugins.filter((plugin) => desired.sections[plugin.name]);
  const { state: current } = await discoverMachine(machine, {
    plugins: selected,
    registry: options.registry,
  });
  return { current, plan: planMachine(current, desired, { plugins: selected, prune: options.prune }) };
}

export interface DriftItem {
  section: string;
  target: string;
  kind: string;
  description: string;
  expected: unknown;
  actual: unknown;
  /** The difference is in what the next boot uses (bootloader files). */
  pendingReboot: boolean;
}

export interface DriftReport {
  /** Differences apply would fix, expected vs actual. */
  drift: DriftItem[];
  /** Differences apply cannot fix. */
  unresolved: MachinePlan['unresolved'];
  /** Configured as desired, but in effect only after a reboot: not drift. */
  pendingReboot: { section: string; description: string }[];
  sections: string[];
}

export function driftOf(plan: MachinePlan, current: MachineState, plugins: readonly Plugin[]): DriftReport {
  const drift = plan.changes.map((change) => ({
    section: change.plugin,
    target: change.target,
    kind: change.kind,
    description: change.description,
    expected: change.after ?? null,
    actual: change.before ?? null,
    pendingReboot: change.pendingReboot === true,
  }));
  const pendingReboot = plugins.flatMap((plugin) => {
    const section = current.sections[plugin.name];
    if (!section || !plan.planned.includes(plugin.name) || !plugin.writer?.pendingReboot) return [];
    return plugin.writer
      .pendingReboot(section as never)
      .map((description) => ({ section: plugin.name, description }));
  });
  return { drift, unresolved: plan.unresolved, pendingReboot, sections: plan.planned };
}

export function hasDrift(report: DriftReport): boolean {
  return report.drift.length > 0 || report.unresolved.length > 0;
}
