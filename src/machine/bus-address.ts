// D-Bus server addresses (D-Bus specification, "Server Addresses") as op-dbus can reach them, checked
// before use so a typo is a clear error instead of a failure deep inside the D-Bus library.

const TRANSPORT_KEYS: Record<string, { required: string[][]; allowed: string[] }> = {
  // One of path / abstract names the socket.
  unix: { required: [['path'], ['abstract']], allowed: ['path', 'abstract', 'guid'] },
  tcp: { required: [['host', 'port']], allowed: ['host', 'port', 'family', 'guid'] },
};

/** Why `address` is not a usable D-Bus address, or undefined when it is. */
export function busAddressProblem(address: string): string | undefined {
  const [first] = address.split(';');
  const match = /^([a-z]+):(.*)$/.exec(first ?? '');
  if (!match) return 'expected TRANSPORT:KEY=VALUE,… such as unix:path=/run/dbus/system_bus_socket';
  const [, transport, rest] = match as unknown as [string, string, string];
  const rules = TRANSPORT_KEYS[transport];
  if (!rules)
    return `transport "${transport}" is not supported (use unix:path=…, unix:abstract=… or tcp:host=…,port=…)`;
  const keys = new Map<string, string>();
  for (const pair of rest.split(',')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) return `"${pair}" is not KEY=VALUE`;
    keys.set(pair.slice(0, equals), pair.slice(equals + 1));
  }
  const unknown = [...keys.keys()].filter((key) => !rules.allowed.includes(key));
  if (unknown.length > 0) return `unknown key ${unknown.join(', ')} for ${transport}`;
  if (!rules.required.some((set) => set.every((key) => keys.get(key)))) {
    return `${transport} needs ${rules.required.map((set) => set.join(' and ')).join(' or ')}`;
  }
  if (transport === 'tcp' && !/^\d{1,5}$/.test(keys.get('port') ?? '')) return 'port must be a number';
  return undefined;
}
