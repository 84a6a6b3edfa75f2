// The systemd unit that runs `op-dbus dbus serve`: started when it owns its names (Type=dbus, on the last name
// it requests), restarted on failure, with the hardening an apply service can live with (it writes /etc).
import { OPDBUS_SERVICE } from './policy/contracts.js';

export const SERVICE_UNIT_NAME = 'op-dbus-dbus.service';

export interface ServiceUnitOptions {
  /** The node binary, absolute. */
  node: string;
  /** op-dbus's bin/op-dbus.js, absolute. */
  entryPoint: string;
}

function quoted(path: string): string {
  // systemd's ExecStart quoting: double quotes, with backslash and double quote escaped.
  return /^[A-Za-z0-9/._+-]+$/.test(path)
    ? path
    : `"${path.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

export function serviceUnitText({ node, entryPoint }: ServiceUnitOptions): string {
  return `[Unit]
Description=op-dbus D-Bus services (org.opdbus, org.openvswitch.ovsdb, dev.ovs.PortAgent1)
Requires=dbus.socket
After=dbus.socket ovsdb-server.service

[Service]
Type=dbus
BusName=${OPDBUS_SERVICE.busName}
ExecStart=${quoted(node)} ${quoted(entryPoint)} dbus serve
Restart=on-failure
RestartSec=2s
NoNewPrivileges=yes
PrivateTmp=yes
ProtectHome=read-only

[Install]
WantedBy=multi-user.target
`;
}
