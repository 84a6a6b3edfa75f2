// What a plan is made of: changes that say what, why and how risky, ordered in phases so that files land
// before the reloads that read them, and enablement before the run state that depends on it.

/**
 * Phases run in this order; changes of one phase are independent of each other and may run together.
 * retire: stop and disable what is about to lose its files; reload: daemon-reload, network1 Reload,
 * systemd-sysctl — after every file and enablement link is in place, before anything is started.
 */
export const PHASES = ['retire', 'packages', 'files', 'settings', 'enablement', 'reload', 'runtime'] as const;
export type Phase = (typeof PHASES)[number];

export type ChangeAction = 'create' | 'update' | 'delete';

export type Risk = 'low' | 'medium' | 'high';

/** One planned change to one plugin's area (produced by a pure plan, carried out and undone by the plugin). */
export interface Change {
  /** Unique within a plan and stable across runs: `plugin:kind:target`. */
  id: string;
  plugin: string;
  /** What sort of change, in the plugin's words (unit-file, enablement, hostname, sysctl-file …). */
  kind: string;
  /** `+` create, `~` update, `-` delete in listings. */
  action: ChangeAction;
  /** What is changed: a path, a unit name, a setting. */
  target: string;
  phase: Phase;
  /** What the change does, one line. */
  description: string;
  /** Why it is needed: what differs between the machine and the desired state. */
  reason: string;
  risk: Risk;
  /** Why the risk is not low (restarting the unit that carries the network …). */
  riskNote?: string;
  /** Takes effect only at the next boot (kernel parameters). */
  pendingReboot?: boolean;
  /** The value now (absent when the thing does not exist); JSON. */
  before?: unknown;
  /** The desired value (absent when the thing is removed); JSON. */
  after?: unknown;
  /** Ids of changes (of earlier phases) this one needs. */
  dependsOn?: string[];
  /**
   * Undo this change after every other change has been undone, in forward order, instead of in reverse
   * order: reloads and restarts, which must see the restored files.
   */
  undoLast?: boolean;
}

/**
 * A difference the plan cannot act on: a redacted secret it cannot write back, a vendor unit-file state,
 * a package version, an extra package without --prune. Verify reports it as drift.
 */
export interface Unresolved {
  plugin: string;
  /** JSON path of the item in the desired document. */
  path: string;
  description: string;
  expected?: unknown;
  actual?: unknown;
  /** Apply refuses the plan while a blocking item is in it (it would leave the machine unlike the document). */
  blocking: boolean;
}

export interface PluginPlan {
  changes: Change[];
  unresolved: Unresolved[];
}

export interface PlanOptions {
  /** Remove what the machine has beyond the desired state (extra packages). */
  prune: boolean;
}

export function changeId(plugin: string, kind: string, target: string): string {
  return `${plugin}:${kind}:${target}`;
}

export const ACTION_SYMBOL: Record<ChangeAction, string> = { create: '+', update: '~', delete: '-' };
