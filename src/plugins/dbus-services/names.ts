// Grammars of the names this plugin handles (D-Bus specification "Valid Names", systemd unit names), so
// nothing malformed from a bus reply ends up in a capture or in a later call.

const BUS_NAME_MAX = 255;
const UNIT_NAME_MAX = 255;
const UNIT_TYPES = [
  'service',
  'socket',
  'target',
  'device',
  'mount',
  'automount',
  'swap',
  'timer',
  'path',
  'slice',
  'scope',
];

/** A well-known bus name such as `org.freedesktop.login1` (not a `:1.42` unique connection name). */
export function isWellKnownBusName(name: string): boolean {
  if (name.length > BUS_NAME_MAX || name.startsWith(':')) return false;
  const elements = name.split('.');
  return elements.length >= 2 && elements.every((element) => /^[A-Za-z_-][A-Za-z0-9_-]*$/.test(element));
}

export function isUniqueBusName(name: string): boolean {
  if (name.length > BUS_NAME_MAX || !name.startsWith(':')) return false;
  const elements = name.slice(1).split('.');
  return elements.length >= 2 && elements.every((element) => /^[A-Za-z0-9_-]+$/.test(element));
}

export function isInterfaceName(name: string): boolean {
  if (name.length > BUS_NAME_MAX) return false;
  const elements = name.split('.');
  return elements.length >= 2 && elements.every((element) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(element));
}

/** One element of an object path, as introspection lists child nodes. */
export function isObjectPathElement(name: string): boolean {
  return /^[A-Za-z0-9_]+$/.test(name);
}

/** A systemd unit name: `name.type` or `template@instance.type`, using systemd's allowed characters. */
export function isUnitName(name: string): boolean {
  if (name.length === 0 || name.length > UNIT_NAME_MAX) return false;
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || !UNIT_TYPES.includes(name.slice(dot + 1))) return false;
  const stem = name.slice(0, dot);
  const at = stem.indexOf('@');
  if (at === -1) return /^[A-Za-z0-9:_.\\-]+$/.test(stem);
  const prefix = stem.slice(0, at);
  const instance = stem.slice(at + 1);
  return /^[A-Za-z0-9:_.\\-]+$/.test(prefix) && /^[A-Za-z0-9:_.\\@-]*$/.test(instance);
}
