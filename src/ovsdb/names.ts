// Which bridge, port and interface names Open vSwitch and Linux both accept: OVS creates a network device for
// a bridge and for most interfaces, so names follow the kernel's dev_valid_name() rules (net/core/dev.c).

/** IFNAMSIZ is 16 bytes with the terminating NUL. */
export const MAX_NETDEV_NAME_BYTES = 15;

// Whitespace as the kernel's isspace() sees it, plus every other control character: ovs-vsctl and logs
// print names raw, so a control character in one would let it pose as something else.
function hasControlOrSpace(name: string): boolean {
  for (const char of name) {
    const code = char.codePointAt(0) ?? 0;
    if (code <= 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/** Why `name` cannot name a network device, or undefined when it can. */
export function netdevNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_NETDEV_NAME_BYTES)
    return `must be at most ${MAX_NETDEV_NAME_BYTES} bytes (Linux's IFNAMSIZ), not ${bytes}`;
  if (name === '.' || name === '..') return 'must not be "." or ".."';
  if (name.includes('/')) return 'must not contain "/"';
  if (name.includes(':')) return 'must not contain ":" (the kernel reserves it for alias labels)';
  if (hasControlOrSpace(name)) return 'must not contain whitespace or control characters';
  return undefined;
}

/** A bridge is also the name of its internal port and the device OVS makes for it. */
export function bridgeNameProblem(name: string): string | undefined {
  return netdevNameProblem(name);
}

/**
 * Port names are held to the device rules too: a port is usually named after its one interface, and a name
 * that fits both keeps `ovs-vsctl add-port` and op-dbus interchangeable.
 */
export function portNameProblem(name: string): string | undefined {
  return netdevNameProblem(name);
}

export function interfaceNameProblem(name: string): string | undefined {
  return netdevNameProblem(name);
}
