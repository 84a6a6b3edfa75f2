import { describe, expect, it } from 'vitest';
import type { Change } from './change.js';
import { undoOrder } from './rollback.js';

function change(id: string, undoLast = false): Change {
  return {
    id,
    plugin: 'systemd',
    kind: 'test',
    action: 'update',
    target: id,
    phase: 'files',
    description: id,
    reason: 'test',
    risk: 'low',
    ...(undoLast ? { undoLast } : {}),
  };
}

describe('undoOrder', () => {
  it('undoes immediate changes newest first, then reloads and restarts in their forward order', () => {
    const changes = [
      change('file-a'),
      change('enable-a'),
      change('reload', true),
      change('file-b'),
      change('restart-a', true),
      change('start-b', true),
    ];
    expect(undoOrder(changes).map((item) => item.id)).toEqual([
      'file-b',
      'enable-a',
      'file-a',
      'reload',
      'restart-a',
      'start-b',
    ]);
  });

  it('leaves its input as it was', () => {
    const changes = [change('a'), change('b')];
    undoOrder(changes);
    expect(changes.map((item) => item.id)).toEqual(['a', 'b']);
  });

  it('handles plans with only one kind of change, or none', () => {
    expect(undoOrder([change('a'), change('b')]).map((item) => item.id)).toEqual(['b', 'a']);
    expect(undoOrder([change('a', true), change('b', true)]).map((item) => item.id)).toEqual(['a', 'b']);
    expect(undoOrder([])).toEqual([]);
  });
});
