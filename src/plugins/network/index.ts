// The network plugin: systemd-networkd's configuration files (config) and the machine's links with their
// addresses and states (facts), from networkd over D-Bus when it runs, else from /sys/class/net.
import { describeCause } from '../../dbus/errors.js';
import type { Machine } from '../../machine/machine.js';
import type { Plugin } from '../types.js';
import { applyNetworkChange, checkpointNetwork, undoNetworkChange } from './apply.js';
import { NETWORKD_BUS_NAME, networkdUnavailableReason, readNetworkdView, readSysfsLinks } from './links.js';
import { NETWORKD_CONFIG_DIR, readNetworkdFiles } from './networkd-files.js';
import { planNetworkChanges } from './plan.js';
import { type NetworkConfig, type NetworkFacts, networkConfigSchema, networkFactsSchema } from './schema.js';
import { networkToAnsible } from './to-ansible.js';
import { networkToNix } from './to-nix.js';

export type { NetworkConfig, NetworkFacts, NetworkLink } from './schema.js';

/** Why networkd cannot be asked, or undefined when it runs. */
async function networkdBlocker(machine: Machine): Promise<string | undefined> {
  const status = await machine.busStatus();
  if (!status.ok) return `D-Bus unreachable: ${status.reason}`;
  return networkdUnavailableReason(await machine.bus());
}

type LinkFacts = Pick<NetworkFacts, 'source' | 'fallbackReason' | 'overall' | 'links' | 'addressFamilies'>;

async function readLinkFacts(machine: Machine): Promise<LinkFacts> {
  let reason: string | undefined;
  try {
    reason = await networkdBlocker(machine);
    if (reason === undefined) {
      const view = await readNetworkdView(await machine.bus());
      return { source: 'networkd', ...view, addressFamilies: ['ipv4', 'ipv6'] };
    }
  } catch (error) {
    reason = `networkd failed: ${describeCause(error)}`;
  }
  const sysfs = await readSysfsLinks(machine.files);
  const fallbackReason = sysfs.problem ? `${reason}; ${sysfs.problem}` : reason;
  return {
    source: 'sysfs',
    fallbackReason,
    overall: null,
    links: sysfs.links,
    addressFamilies: sysfs.addressFamilies,
  };
}

export const networkPlugin: Plugin<NetworkConfig, NetworkFacts> = {
  name: 'network',
  summary: 'systemd-networkd configuration files, and links with addresses and states (networkd, else sysfs)',
  managedBusNames: [NETWORKD_BUS_NAME],
  configSchema: networkConfigSchema,
  factsSchema: networkFactsSchema,

  async available(machine) {
    try {
      if ((await machine.files.exists(NETWORKD_CONFIG_DIR)) || (await machine.files.exists('/sys/class/net')))
        return { ok: true };
      const blocker = await networkdBlocker(machine);
      return blocker === undefined
        ? { ok: true }
        : { ok: false, reason: `no ${NETWORKD_CONFIG_DIR}, no /sys/class/net, and ${blocker}` };
    } catch (error) {
      return { ok: false, reason: describeCause(error) };
    }
  },

  summarize: (config, facts) =>
    `${facts.links.length} links, ${Object.keys(config.files).length} networkd files, from ${facts.source}`,

  async discover(machine) {
    const [links, networkd] = await Promise.all([readLinkFacts(machine), readNetworkdFiles(machine.files)]);
    return {
      config: { files: networkd.files },
      facts: { ...links, fileSummaries: networkd.summaries, problems: networkd.problems },
      redactions: networkd.redactions,
    };
  },

  writer: {
    plan: (current, desired) => planNetworkChanges(current, desired),
    checkpoint: checkpointNetwork,
    apply: applyNetworkChange,
    undo: undoNetworkChange,
  },
  toNix: networkToNix,
  toAnsible: networkToAnsible,
};
