// Grammars of the D-Bus names this plugin handles (D-Bus specification "Valid Names"), so
// nothing malformed from a bus reply ends up in a capture or in a later call.

const BUS_NAME_MAX = 255;

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
