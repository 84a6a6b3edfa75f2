import { describe, expect, it } from 'vitest';
import { planPrune } from './prune.js';

describe('planPrune', () => {
  it('keeps the newest N and every protected version', () => {
    expect(planPrune(['v5', 'v4', 'v3', 'v2', 'v1'], 2, new Set(['v1']))).toEqual({
      keep: ['v5', 'v4', 'v1'],
      remove: ['v3', 'v2'],
    });
  });

  it('removes nothing when there are at most N versions', () => {
    expect(planPrune(['v2', 'v1'], 3, new Set())).toEqual({ keep: ['v2', 'v1'], remove: [] });
  });
});
