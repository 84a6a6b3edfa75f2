// The documented naming convention for container ports made by dev.ovs.PortAgent1: "oc" and the first 13 hex
// digits of SHA-256("<bridge>/<container>") — 15 characters, the longest Linux device name, stable for the same
// pair and unlikely to collide, so the port of a container can be found again from its name alone.
import { createHash } from 'node:crypto';

const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function containerPortName(bridge: string, container: string): string {
  return `oc${createHash('sha256').update(`${bridge}/${container}`).digest('hex').slice(0, 13)}`;
}

/** Docker, Podman, LXC and machinectl names and ids all fit this grammar. */
export function containerNameProblem(name: string): string | undefined {
  if (CONTAINER_NAME.test(name)) return undefined;
  return 'a container name is 1–128 letters, digits, "_", "." or "-", starting with a letter or digit';
}

/** external_ids on a container port: which container it belongs to, and that the port agent made it. */
export function containerPortExternalIds(container: string): Record<string, string> {
  return { container_id: container, 'op-dbus': 'port-agent' };
}
