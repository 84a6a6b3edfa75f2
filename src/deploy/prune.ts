// `deploy prune --keep N`: keeps the newest N versions, and always the active one and the one `rollback`
// would go back to; each removed version disappears at once (a rename into staging) before it is deleted.
import { DeployError } from './errors.js';
import { reconcileHistory } from './history.js';
import type { DeployStore } from './store.js';

export interface PrunePlan {
  remove: string[];
  keep: string[];
}

/** Pure: `newestFirst` are version names, newest first; `protectedNames` are never removed. */
export function planPrune(
  newestFirst: readonly string[],
  keep: number,
  protectedNames: ReadonlySet<string>,
): PrunePlan {
  const plan: PrunePlan = { remove: [], keep: [] };
  newestFirst.forEach((name, index) => {
    if (index < keep || protectedNames.has(name)) plan.keep.push(name);
    else plan.remove.push(name);
  });
  return plan;
}

export async function pruneVersions(store: DeployStore, keep: number): Promise<PrunePlan> {
  const { versions, problems } = await store.versions();
  if (problems.length > 0)
    throw new DeployError(
      `cannot prune while some versions are unreadable: ${problems.join('; ')}`,
      'fix or remove those versions first',
    );
  const active = await store.activeVersion();
  const stack = reconcileHistory(await store.history(), active);
  const rollbackTarget = stack[stack.length - 2];
  const protectedNames = new Set(
    [active, rollbackTarget].filter((name): name is string => name !== undefined),
  );
  const plan = planPrune(
    versions.map((version) => version.name),
    keep,
    protectedNames,
  );
  for (const name of plan.remove) await store.removeVersion(name);
  if (plan.remove.length > 0) {
    const removed = new Set(plan.remove);
    await store.saveHistory(stack.filter((name) => !removed.has(name)));
  }
  return plan;
}
