// The ovs plugin: Open vSwitch bridges, ports and interfaces read from and written to OVSDB over its JSON-RPC
// socket (RFC 7047), never through ovs-vsctl; every apply is one atomic transaction.
import type { Machine } from '../../machine/machine.js';
import { readVswitch, VSWITCH_DB } from '../../ovsdb/vswitch-read.js';
import type { Availability, Plugin } from '../types.js';
import { applyOvsChange, checkpointOvs, undoOvsChange } from './apply.js';
import { planOvsChanges } from './plan.js';
import { type OvsConfig, type OvsFacts, ovsConfigSchema, ovsFactsSchema } from './schema.js';
import { redactVswitch } from './secrets.js';
import { ovsToAnsible } from './to-ansible.js';
import { ovsToNix } from './to-nix.js';

export type { OvsConfig, OvsFacts } from './schema.js';

async function ovsAvailable(machine: Machine): Promise<Availability> {
  try {
    const databases = await (await machine.ovsdb()).listDbs();
    if (databases.includes(VSWITCH_DB)) return { ok: true };
    return {
      ok: false,
      reason: `the OVSDB server at ${machine.ovsdbAddress} has no ${VSWITCH_DB} database (it has ${databases.join(', ') || 'none'})`,
    };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

function count(what: string, n: number): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

export const ovsPlugin: Plugin<OvsConfig, OvsFacts> = {
  name: 'ovs',
  summary: 'Open vSwitch bridges, ports and interfaces through OVSDB (RFC 7047), applied as one transaction',
  // Open vSwitch has no D-Bus API of its own: these are the names `op-dbus dbus serve` exports for it.
  managedBusNames: ['org.openvswitch.ovsdb', 'dev.ovs.PortAgent1'],
  configSchema: ovsConfigSchema,
  factsSchema: ovsFactsSchema,
  available: ovsAvailable,

  async discover(machine) {
    const snapshot = await readVswitch(await machine.ovsdb());
    const { config, redactions } = redactVswitch(snapshot.config);
    return { config, facts: { address: machine.ovsdbAddress, ...snapshot.facts }, redactions };
  },

  summarize(config, facts) {
    const bridges = Object.values(config.bridges);
    const ports = bridges.flatMap((bridge) => Object.values(bridge.ports));
    const interfaces = ports.flatMap((port) => Object.keys(port.interfaces));
    return `${count('bridge', bridges.length)}, ${count('port', ports.length)}, ${count('interface', interfaces.length)}, Open vSwitch ${facts.ovsVersion ?? '(version not recorded)'}`;
  },

  writer: {
    plan: (current, desired) => planOvsChanges(current, desired),
    checkpoint: checkpointOvs,
    apply: applyOvsChange,
    undo: undoOvsChange,
  },
  toNix: ovsToNix,
  toAnsible: ovsToAnsible,
};
