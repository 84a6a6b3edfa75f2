import { describe, expect, it, vi } from 'vitest';
import type { Plugin, PluginWriter } from '../plugins/types.js';
import type { MachineState, Section } from '../state/schema.js';
import type { Change, Phase, PluginPlan, Unresolved } from './change.js';
import { blockingItems, planMachine } from './plan.js';

function stateOf(sections: Record<string, Section>, unavailable: MachineState['unavailable'] = []) {
  return { sections, unavailable } as MachineState;
}

function change(plugin: string, name: string, phase: Phase): Change {
  return {
    id: `${plugin}:test:${name}`,
    plugin,
    kind: 'test',
    action: 'update',
    target: name,
    phase,
    description: `change ${name}`,
    reason: 'test',
    risk: 'low',
  };
}

/** A plugin whose plan is fixed; observe-only when `plan` is absent. */
function fakePlugin(name: string, plan?: PluginWriter<unknown, unknown>['plan']): Plugin {
  const writer = plan && { plan, checkpoint: async () => ({}), apply: async () => {}, undo: async () => {} };
  return { name, ...(writer ? { writer } : {}) } as unknown as Plugin;
}

const fixed = (result: PluginPlan) => () => result;
const section = (config: unknown): Section => ({ config, facts: { observed: true } });

describe('planMachine', () => {
  it('orders changes by phase across plugins, keeping plugin and planning order within a phase', () => {
    const a = fakePlugin(
      'a',
      fixed({
        changes: [change('a', 'a1', 'runtime'), change('a', 'a2', 'files'), change('a', 'a3', 'retire')],
        unresolved: [],
      }),
    );
    const b = fakePlugin(
      'b',
      fixed({
        changes: [
          change('b', 'b1', 'files'),
          change('b', 'b2', 'reload'),
          change('b', 'b3', 'retire'),
          change('b', 'b4', 'files'),
          change('b', 'b5', 'packages'),
          change('b', 'b6', 'enablement'),
          change('b', 'b7', 'settings'),
        ],
        unresolved: [],
      }),
    );
    const state = stateOf({ a: section({}), b: section({}) });
    const plan = planMachine(state, state, { plugins: [a, b], prune: false });
    expect(plan.changes.map((item) => `${item.phase} ${item.target}`)).toEqual([
      'retire a3',
      'retire b3',
      'packages b5',
      'files a2',
      'files b1',
      'files b4',
      'settings b7',
      'enablement b6',
      'reload b2',
      'runtime a1',
    ]);
    expect(plan.planned).toEqual(['a', 'b']);
    expect(plan.skipped).toEqual([]);
  });

  it('gives each writer its current section, its desired config and the options', () => {
    const plan = vi.fn(fixed({ changes: [], unresolved: [] }));
    const current = stateOf({ a: section({ value: 1 }) });
    const desired = stateOf({ a: section({ value: 2 }) });
    planMachine(current, desired, { plugins: [fakePlugin('a', plan)], prune: true });
    expect(plan).toHaveBeenCalledWith(
      { config: { value: 1 }, facts: { observed: true } },
      { value: 2 },
      {
        prune: true,
      },
    );
  });

  it('plans only the sections the desired state has, and skips observe-only ones', () => {
    const unwanted = vi.fn(fixed({ changes: [change('b', 'x', 'files')], unresolved: [] }));
    const current = stateOf({ a: section({}), b: section({}), c: section({}) });
    const desired = stateOf({ a: section({}), c: section({}) });
    const plan = planMachine(current, desired, {
      plugins: [
        fakePlugin('a', fixed({ changes: [], unresolved: [] })),
        fakePlugin('b', unwanted),
        fakePlugin('c'),
      ],
      prune: false,
    });
    expect(unwanted).not.toHaveBeenCalled();
    expect(plan.planned).toEqual(['a']);
    expect(plan.skipped).toEqual([{ plugin: 'c', reason: expect.stringMatching(/observed only/) }]);
    expect(plan.changes).toEqual([]);
    expect(plan.unresolved).toEqual([]);
  });

  it('blocks a section whose current state could not be read, naming why', () => {
    const writer = vi.fn(fixed({ changes: [], unresolved: [] }));
    const desired = stateOf({ a: section({}), b: section({}) });
    const current = stateOf({}, [{ plugin: 'a', reason: 'the bus is down' }]);
    const plan = planMachine(current, desired, {
      plugins: [fakePlugin('a', writer), fakePlugin('b', writer)],
      prune: false,
    });
    expect(writer).not.toHaveBeenCalled();
    expect(plan.planned).toEqual([]);
    expect(plan.unresolved).toEqual([
      {
        plugin: 'a',
        path: '$.sections.a',
        description: expect.stringMatching(/could not be read: the bus is down$/),
        blocking: true,
      },
      {
        plugin: 'b',
        path: '$.sections.b',
        description: expect.stringMatching(/could not be read$/),
        blocking: true,
      },
    ]);
    expect(blockingItems(plan)).toHaveLength(2);
  });

  it('keeps each plugin’s unresolved items, and picks out the blocking ones', () => {
    const items: Unresolved[] = [
      { plugin: 'a', path: '$.sections.a.config.x', description: 'x', blocking: false },
      { plugin: 'a', path: '$.sections.a.config.y', description: 'y', blocking: true },
    ];
    const state = stateOf({ a: section({}) });
    const plan = planMachine(state, state, {
      plugins: [fakePlugin('a', fixed({ changes: [], unresolved: items }))],
      prune: false,
    });
    expect(plan.unresolved).toEqual(items);
    expect(blockingItems(plan)).toEqual([items[1]]);
  });

  it('hashes the plan deterministically, and differently when a change or an unresolved item differs', () => {
    const state = stateOf({ a: section({}) });
    const hashOf = (result: PluginPlan) =>
      planMachine(state, state, { plugins: [fakePlugin('a', fixed(result))], prune: false }).hash;
    const base: PluginPlan = { changes: [change('a', 'x', 'files')], unresolved: [] };
    const hash = hashOf(base);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOf(structuredClone(base))).toBe(hash);
    expect(hashOf({ changes: [{ ...change('a', 'x', 'files'), after: 'other' }], unresolved: [] })).not.toBe(
      hash,
    );
    expect(hashOf({ changes: [change('a', 'y', 'files')], unresolved: [] })).not.toBe(hash);
    expect(
      hashOf({
        changes: base.changes,
        unresolved: [{ plugin: 'a', path: '$.sections.a', description: 'x', blocking: false }],
      }),
    ).not.toBe(hash);
    expect(hashOf({ changes: [], unresolved: [] })).not.toBe(hash);
  });
});
