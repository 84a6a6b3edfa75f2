// Every plugin op-dbus ships, in the order their sections appear in reports.
import { dbusServicesPlugin } from './dbus-services/index.js';
import { identityPlugin } from './identity/index.js';
import { kernelPlugin } from './kernel/index.js';
import { networkPlugin } from './network/index.js';
import { ovsPlugin } from './ovs/index.js';
import { packagesPlugin } from './packages/index.js';
import { systemdPlugin } from './systemd/index.js';
import type { Plugin } from './types.js';

export const plugins: readonly Plugin[] = [
  identityPlugin,
  systemdPlugin,
  kernelPlugin,
  packagesPlugin,
  networkPlugin,
  ovsPlugin,
  dbusServicesPlugin,
] as Plugin[];

export const pluginNames: readonly string[] = plugins.map((plugin) => plugin.name);

export function findPlugin(name: string): Plugin | undefined {
  return plugins.find((plugin) => plugin.name === name);
}
