import { describe, expect, it } from 'vitest';
import type { DbusConnection } from '../../dbus/connection.js';
import { DbusCallError, DbusTimeoutError } from '../../dbus/errors.js';
import { createLimiter } from './limiter.js';
import { type TreeWalkOptions, walkObjectTree } from './walk-object-tree.js';

type Reply = string | Error;

/** A bus whose Introspect replies come from a table of object path → XML (or error). */
function fakeBus(replies: Record<string, Reply>, calls: string[] = []): DbusConnection {
  return {
    async introspect(_service: string, path: string): Promise<string> {
      calls.push(path);
      await new Promise((resolve) => setImmediate(resolve));
      const reply = replies[path];
      if (reply === undefined)
        throw new DbusCallError(
          { service: ':1.5', path, iface: 'x', member: 'Introspect' },
          'org.freedesktop.DBus.Error.UnknownObject',
          'no such object',
        );
      if (reply instanceof Error) throw reply;
      return reply;
    },
  } as unknown as DbusConnection;
}

const options = (overrides: Partial<TreeWalkOptions> = {}): TreeWalkOptions => ({
  maxObjects: 256,
  maxChildrenPerObject: 100,
  concurrency: 4,
  timeoutMs: 1000,
  limit: createLimiter(8),
  ...overrides,
});

const node = (children: string[], ifaces: string[] = []) =>
  `<node>${ifaces.map((name) => `<interface name="${name}"><method name="Ping"/></interface>`).join('')}${children.map((child) => `<node name="${child}"/>`).join('')}</node>`;

function unitTree(units: number): Record<string, Reply> {
  const names = Array.from({ length: units }, (_, index) => `u${index}`);
  const replies: Record<string, Reply> = {
    '/': node(['org']),
    '/org': node(['example']),
    '/org/example': node(['unit'], ['org.example.Manager']),
    '/org/example/unit': node(names),
  };
  for (const name of names) replies[`/org/example/unit/${name}`] = node([], ['org.example.Unit']);
  return replies;
}

describe('walkObjectTree', () => {
  it('follows child nodes recursively and records objects and interfaces', async () => {
    const tree = await walkObjectTree(fakeBus(unitTree(3)), ':1.5', '/', options());
    expect(tree.objects).toEqual({
      '/org/example': ['org.example.Manager'],
      '/org/example/unit/u0': ['org.example.Unit'],
      '/org/example/unit/u1': ['org.example.Unit'],
      '/org/example/unit/u2': ['org.example.Unit'],
    });
    expect(Object.keys(tree.interfaces)).toEqual(['org.example.Manager', 'org.example.Unit']);
    expect(tree).toMatchObject({ objectsVisited: 7, objectsSkipped: 0, truncated: false });
    expect(tree.error).toBeUndefined();
  });

  it('stops at maxObjects and says the tree is truncated', async () => {
    const calls: string[] = [];
    const tree = await walkObjectTree(fakeBus(unitTree(50), calls), ':1.5', '/', options({ maxObjects: 10 }));
    expect(tree.truncated).toBe(true);
    expect(tree.objectsVisited).toBe(10);
    expect(tree.objectsSkipped).toBe(44);
    expect(calls).toHaveLength(10);
  });

  it('samples a node with more children than maxChildrenPerObject', async () => {
    const calls: string[] = [];
    const tree = await walkObjectTree(
      fakeBus(unitTree(50), calls),
      ':1.5',
      '/',
      options({ maxChildrenPerObject: 5 }),
    );
    expect(tree).toMatchObject({ objectsVisited: 9, objectsSkipped: 45, truncated: true });
    expect(Object.keys(tree.interfaces)).toEqual(['org.example.Manager', 'org.example.Unit']);
  });

  it('visits each path once even when listed twice', async () => {
    const calls: string[] = [];
    const replies = { '/': node(['a', 'a']), '/a': node([], ['org.example.A']) };
    await walkObjectTree(fakeBus(replies, calls), ':1.5', '/', options());
    expect(calls.sort()).toEqual(['/', '/a']);
  });

  it('records the first failure and keeps walking other objects', async () => {
    const replies = {
      ...unitTree(2),
      '/org/example/unit/u0': new DbusCallError(
        { service: ':1.5', path: '/x', iface: 'x', member: 'Introspect' },
        'org.freedesktop.DBus.Error.AccessDenied',
        'access denied',
      ),
    };
    const tree = await walkObjectTree(fakeBus(replies), ':1.5', '/', options());
    expect(tree.error).toContain('access denied');
    expect(Object.keys(tree.objects)).toContain('/org/example/unit/u1');
    expect(tree.truncated).toBe(false);
  });

  it('gives up on a service that times out instead of waiting out every object', async () => {
    const calls: string[] = [];
    const replies = {
      ...unitTree(40),
      '/org/example/unit': new DbusTimeoutError(
        { service: ':1.5', path: '/org/example/unit', iface: 'x', member: 'Introspect' },
        1000,
      ),
    };
    const tree = await walkObjectTree(fakeBus(replies, calls), ':1.5', '/', options());
    expect(tree.truncated).toBe(true);
    expect(tree.error).toContain('no reply within 1000 ms');
    expect(calls).toHaveLength(4);
  });

  it('reports unparsable XML as the error', async () => {
    const tree = await walkObjectTree(fakeBus({ '/': '<interface name="x"/>' }), ':1.5', '/', options());
    expect(tree.error).toContain('no <node> root element');
    expect(tree.objects).toEqual({});
  });
});
