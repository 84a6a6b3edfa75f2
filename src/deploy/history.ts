// The activation history as a stack, newest last (pure). `activate` pushes; `rollback` goes back one step
// (pop) or back to a named version (truncating to it, or pushing it if it is no longer on the stack).

/** Stacks longer than this drop their oldest entries: nobody rolls back 100 deployments one by one. */
export const HISTORY_LIMIT = 100;

function capped(stack: readonly string[]): string[] {
  return stack.slice(Math.max(0, stack.length - HISTORY_LIMIT));
}

/**
 * The stack as it must be given what `current` really points at: a crash between the switch and saving the
 * history, or a hand-made link, leaves the link as the truth.
 */
export function reconcileHistory(stack: readonly string[], active: string | undefined): string[] {
  if (active === undefined || stack[stack.length - 1] === active) return [...stack];
  return capped([...stack, active]);
}

export function historyAfterActivate(stack: readonly string[], name: string): string[] {
  if (stack[stack.length - 1] === name) return [...stack];
  return capped([...stack, name]);
}

export type RollbackPlan = { ok: true; target: string; stackAfter: string[] } | { ok: false; reason: string };

/** Where `rollback [name]` goes from a reconciled stack, and the stack once it got there. */
export function planRollback(stack: readonly string[], name: string | undefined): RollbackPlan {
  const active = stack[stack.length - 1];
  if (name === undefined) {
    const target = stack[stack.length - 2];
    if (target === undefined)
      return {
        ok: false,
        reason:
          active === undefined
            ? 'nothing has been activated yet'
            : `${active} is the only version in the activation history`,
      };
    return { ok: true, target, stackAfter: stack.slice(0, -1) };
  }
  if (name === active) return { ok: false, reason: `${name} is already active` };
  const index = stack.lastIndexOf(name);
  return {
    ok: true,
    target: name,
    stackAfter: index >= 0 ? stack.slice(0, index + 1) : capped([...stack, name]),
  };
}
