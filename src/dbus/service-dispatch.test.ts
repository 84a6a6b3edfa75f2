import { describe, expect, it } from 'vitest';
import { ServiceObjectTree } from './service-dispatch.js';
import type { ServiceInterface, ServiceObject } from './service-types.js';

const handler = async () => [];

function thingInterface(overrides: Partial<ServiceInterface> = {}): ServiceInterface {
  return {
    name: 'org.example.Thing',
    methods: [
      {
        name: 'Add',
        inArgs: [
          { name: 'a', type: 's' },
          { name: 'b', type: 'u' },
        ],
        outArgs: [],
        handler,
      },
      { name: 'List', inArgs: [], outArgs: [{ name: 'items', type: 'as' }], handler },
    ],
    properties: [{ name: 'Version', type: 's', get: () => '1' }],
    signals: [{ name: 'Changed', args: [] }],
    ...overrides,
  };
}

function treeWith(...objects: ServiceObject[]): ServiceObjectTree {
  const tree = new ServiceObjectTree();
  for (const object of objects) tree.add(object);
  return tree;
}

const thing = (): ServiceObject => ({ path: '/org/example/Thing', interfaces: [thingInterface()] });

describe('ServiceObjectTree', () => {
  it('knows exported paths and the paths above them, with their direct children', () => {
    const tree = treeWith(thing(), { path: '/org/other', interfaces: [thingInterface()] });
    expect(tree.isKnownPath('/')).toBe(true);
    expect(tree.isKnownPath('/org/example')).toBe(true);
    expect(tree.isKnownPath('/org/exam')).toBe(false);
    expect(tree.isKnownPath('/org/example/Thing/below')).toBe(false);
    expect(tree.children('/')).toEqual(['org']);
    expect(tree.children('/org')).toEqual(['example', 'other']);
    expect(tree.children('/org/example/Thing')).toEqual([]);
  });

  it('routes a call to its handler when the signature matches', () => {
    const route = treeWith(thing()).route({
      path: '/org/example/Thing',
      iface: 'org.example.Thing',
      member: 'Add',
      signature: 'su',
    });
    expect(route.kind).toBe('handler');
    expect(route.kind === 'handler' && route.method.name).toBe('Add');
  });

  it('finds a member without an interface, standard interfaces first', () => {
    const tree = treeWith(thing());
    expect(tree.route({ path: '/org/example/Thing', member: 'List', signature: '' }).kind).toBe('handler');
    expect(tree.route({ path: '/org/example', member: 'Introspect', signature: '' })).toEqual({
      kind: 'standard',
      iface: 'org.freedesktop.DBus.Introspectable',
      member: 'Introspect',
    });
  });

  it.each([
    [
      { path: '/nowhere', iface: 'org.example.Thing', member: 'Add', signature: 'su' },
      'UnknownObject',
      'no object at /nowhere',
    ],
    [
      { path: '/org/example/Thing', iface: 'org.example.Other', member: 'Add', signature: 'su' },
      'UnknownInterface',
      'has no interface org.example.Other',
    ],
    [
      { path: '/org/example', iface: 'org.example.Thing', member: 'Add', signature: 'su' },
      'UnknownInterface',
      'object /org/example has no interface',
    ],
    [
      { path: '/org/example/Thing', iface: 'org.example.Thing', member: 'Nope', signature: '' },
      'UnknownMethod',
      'org.example.Thing has no method Nope',
    ],
    [{ path: '/org/example/Thing', member: 'Nope', signature: '' }, 'UnknownMethod', 'has no method Nope'],
    [
      { path: '/org/example/Thing', iface: 'org.example.Thing', member: 'Add', signature: 's' },
      'InvalidArgs',
      "org.example.Thing.Add expects arguments of signature 'su', got 's'",
    ],
    [
      { path: '/org/example/Thing', iface: 'org.example.Thing', member: 'List', signature: 's' },
      'InvalidArgs',
      "expects arguments of signature '' (no arguments), got 's'",
    ],
    [
      { path: '/org/example/Thing', iface: 'org.freedesktop.DBus.Properties', member: 'Get', signature: 's' },
      'InvalidArgs',
      "org.freedesktop.DBus.Properties.Get expects arguments of signature 'ss'",
    ],
  ])('answers %j with %s', (call, error, message) => {
    const route = treeWith(thing()).route(call);
    expect(route).toMatchObject({ kind: 'error', errorName: `org.freedesktop.DBus.Error.${error}` });
    expect(route.kind === 'error' && route.message).toContain(message);
  });

  it('answers Peer on any path, even where no object lives', () => {
    expect(
      treeWith(thing()).route({
        path: '/x/y',
        iface: 'org.freedesktop.DBus.Peer',
        member: 'Ping',
        signature: '',
      }),
    ).toEqual({ kind: 'standard', iface: 'org.freedesktop.DBus.Peer', member: 'Ping' });
  });

  it('finds properties by interface, or in any interface for an empty name', () => {
    const tree = treeWith(thing());
    expect(tree.property('/org/example/Thing', 'org.example.Thing', 'Version')).toMatchObject({
      name: 'Version',
    });
    expect(tree.property('/org/example/Thing', '', 'Version')).toMatchObject({ name: 'Version' });
    expect(tree.property('/org/example/Thing', 'org.example.Thing', 'Nope')).toMatchObject({
      errorName: 'org.freedesktop.DBus.Error.UnknownProperty',
    });
    expect(tree.property('/org/example/Thing', 'org.example.Nope', 'Version')).toMatchObject({
      errorName: 'org.freedesktop.DBus.Error.InvalidArgs',
    });
    expect(tree.propertyInterface('/org/example', 'org.freedesktop.DBus.Peer')).toEqual({ properties: [] });
  });

  it('refuses to emit a signal the object does not declare', () => {
    const tree = treeWith(thing());
    expect(tree.signal('/org/example/Thing', 'org.example.Thing', 'Changed').name).toBe('Changed');
    expect(() => tree.signal('/org/example/Thing', 'org.example.Thing', 'Gone')).toThrow(
      'cannot emit org.example.Thing.Gone at /org/example/Thing: no such signal is exported there',
    );
  });

  it.each([
    [
      { path: 'relative', interfaces: [thingInterface()] },
      'cannot export "relative": it is not a valid D-Bus object path',
    ],
    [{ path: '/a', interfaces: [] }, 'cannot export /a: it declares no interface'],
    [
      { path: '/a', interfaces: [thingInterface({ name: 'single' })] },
      "'single' is not a valid D-Bus interface name",
    ],
    [
      { path: '/a', interfaces: [thingInterface({ name: 'org.freedesktop.DBus.Properties' })] },
      'is answered by the host itself',
    ],
    [
      { path: '/a', interfaces: [thingInterface(), thingInterface()] },
      'interface org.example.Thing is declared twice',
    ],
    [
      { path: '/a', interfaces: [thingInterface({ signals: [{ name: 'Add', args: [] }] })] },
      'member Add is declared twice',
    ],
    [
      { path: '/a', interfaces: [thingInterface({ signals: [{ name: 'bad-name', args: [] }] })] },
      "'bad-name' is not a valid D-Bus member name",
    ],
    [
      {
        path: '/a',
        interfaces: [
          thingInterface({
            methods: [{ name: 'M', inArgs: [{ name: 'fd', type: 'h' }], outArgs: [], handler }],
          }),
        ],
      },
      "org.example.Thing.M: argument 'fd': type 'h' (file descriptor) is not supported",
    ],
    [
      {
        path: '/a',
        interfaces: [thingInterface({ properties: [{ name: 'P', type: 'ss', get: () => '' }] })],
      },
      "org.example.Thing.P: invalid D-Bus signature 'ss': expected one complete type, found 2",
    ],
  ])('refuses to export a bad declaration %#', (object, message) => {
    expect(() => treeWith(object as ServiceObject)).toThrow(message);
  });

  it('refuses to export the same path twice', () => {
    expect(() => treeWith(thing(), thing())).toThrow(
      'cannot export /org/example/Thing: it is already exported',
    );
  });
});
