// Units whose restart or stop can cut off the operator or op-dbus itself: changes to them are high risk.

const CRITICAL_UNITS: ReadonlyMap<string, string> = new Map([
  ['dbus.service', 'the system bus op-dbus and every D-Bus service talk through'],
  ['dbus-broker.service', 'the system bus op-dbus and every D-Bus service talk through'],
  ['systemd-journald.service', 'the system log'],
  ['systemd-logind.service', 'user sessions and logins'],
  ['systemd-udevd.service', 'device handling'],
  ['systemd-networkd.service', 'the unit that carries the network'],
  ['NetworkManager.service', 'the unit that carries the network'],
  ['networking.service', 'the unit that carries the network'],
  ['systemd-resolved.service', 'name resolution'],
  ['ssh.service', 'remote access: the connection you may be using'],
  ['sshd.service', 'remote access: the connection you may be using'],
  ['polkit.service', 'authorisation of D-Bus calls'],
]);

/** Why stopping or restarting `unit` is risky, or undefined when it is not one of the critical units. */
export function criticalUnitNote(unit: string): string | undefined {
  const what = CRITICAL_UNITS.get(unit);
  return what === undefined ? undefined : `${unit} is ${what}`;
}
