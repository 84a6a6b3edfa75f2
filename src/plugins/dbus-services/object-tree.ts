// Folds introspected objects into one service's tree: each interface defined once, each object listing the
// interfaces it implements. The walk visits objects in whatever order replies arrive; sorting at the end
// keeps the capture deterministic.
import { childPath, type IntrospectedNode } from '../../dbus/introspection.js';
import { compareStrings, sortedRecord } from '../../util/order.js';
import { isInterfaceName, isObjectPathElement } from './names.js';
import type { InterfaceDefinition } from './schema.js';

/** Every object implements these (D-Bus specification), so listing them would only repeat the spec. */
const STANDARD_INTERFACES = new Set([
  'org.freedesktop.DBus.Peer',
  'org.freedesktop.DBus.Introspectable',
  'org.freedesktop.DBus.Properties',
]);

export interface ObjectTree {
  interfaces: Record<string, InterfaceDefinition>;
  objects: Record<string, string[]>;
}

export function emptyObjectTree(): ObjectTree {
  return { interfaces: {}, objects: {} };
}

/** Records the object at `path` in `tree` and returns the paths of its children, to be introspected next. */
export function addIntrospectedObject(tree: ObjectTree, path: string, node: IntrospectedNode): string[] {
  const names: string[] = [];
  for (const iface of node.interfaces) {
    if (STANDARD_INTERFACES.has(iface.name) || !isInterfaceName(iface.name)) continue;
    names.push(iface.name);
    tree.interfaces[iface.name] ??= {
      methods: iface.methods,
      signals: iface.signals,
      properties: iface.properties,
    };
  }
  // Intermediate nodes such as /org/freedesktop carry no interfaces of their own.
  if (names.length > 0) tree.objects[path] = [...new Set(names)].sort();
  return [...new Set(node.children.filter(isObjectPathElement))].map((child) => childPath(path, child));
}

export function sortObjectTree(tree: ObjectTree): ObjectTree {
  return {
    interfaces: sortedRecord(Object.entries(tree.interfaces)),
    objects: sortedRecord(Object.entries(tree.objects)),
  };
}

/**
 * At most `max` of a node's child paths, spread over the kinds of children: systemd1's
 * /org/freedesktop/systemd1/unit has one child per unit and its labels end in the unit type
 * (`…_2eservice`, `…_2emount`), so picking round-robin by trailing letters introspects every type of unit
 * without introspecting every unit. Deterministic: groups and their members are taken in sorted order.
 */
export function sampleChildPaths(paths: readonly string[], max: number): string[] {
  if (paths.length <= max) return [...paths];
  const groups = new Map<string, string[]>();
  for (const path of [...paths].sort()) {
    const kind = /[A-Za-z]*$/.exec(path.slice(path.lastIndexOf('/') + 1))?.[0] ?? '';
    const members = groups.get(kind);
    if (members) members.push(path);
    else groups.set(kind, [path]);
  }
  const queues = [...groups.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([, members]) => members);
  const sample: string[] = [];
  for (let round = 0; sample.length < max; round++) {
    for (const queue of queues) {
      const path = queue[round];
      if (path !== undefined && sample.length < max) sample.push(path);
    }
  }
  return sample.sort();
}
