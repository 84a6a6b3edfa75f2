import { describe, expect, it } from 'vitest';
import { HISTORY_LIMIT, historyAfterActivate, planRollback, reconcileHistory } from './history.js';

describe('activation history', () => {
  it('rolls back v3 → v2 → v1, then to v3 by name, and then back to v1', () => {
    let stack = ['v1', 'v2', 'v3'];
    const steps: string[] = [];
    for (const name of [undefined, undefined, 'v3', undefined]) {
      const plan = planRollback(stack, name);
      if (!plan.ok) throw new Error(plan.reason);
      steps.push(plan.target);
      stack = plan.stackAfter;
    }
    expect(steps).toEqual(['v2', 'v1', 'v3', 'v1']);
    expect(stack).toEqual(['v1']);
  });

  it('truncates to a named version still on the stack', () => {
    expect(planRollback(['v1', 'v2', 'v3', 'v4'], 'v2')).toEqual({
      ok: true,
      target: 'v2',
      stackAfter: ['v1', 'v2'],
    });
  });

  it('says why there is nothing to roll back to', () => {
    expect(planRollback([], undefined)).toEqual({ ok: false, reason: 'nothing has been activated yet' });
    expect(planRollback(['v1'], undefined)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/only version/),
    });
    expect(planRollback(['v1', 'v2'], 'v2')).toEqual({ ok: false, reason: 'v2 is already active' });
  });

  it('takes the current link as the truth and keeps the stack bounded', () => {
    expect(reconcileHistory(['v1'], 'v2')).toEqual(['v1', 'v2']);
    expect(reconcileHistory(['v1', 'v2'], 'v2')).toEqual(['v1', 'v2']);
    expect(historyAfterActivate(['v1'], 'v1')).toEqual(['v1']);
    const long = Array.from({ length: HISTORY_LIMIT }, (_, index) => `v${index}`);
    const next = historyAfterActivate(long, 'new');
    expect(next).toHaveLength(HISTORY_LIMIT);
    expect(next[next.length - 1]).toBe('new');
  });
});
