import { describe, expect, it } from 'vitest';
import {
  noVswitchFacts,
  systemInterface,
  testBridge,
  testPort,
} from '../../../test/fixtures/ovsdb/vswitch-configs.js';
import { emptyPort, type VswitchConfig } from '../../ovsdb/vswitch-model.js';
import { REDACTED } from '../../state/redact.js';
import { planOvsChanges } from './plan.js';
import type { OvsFacts } from './schema.js';

const noFacts: OvsFacts = { address: 'unix:/run/openvswitch/db.sock', ...noVswitchFacts };

const current: VswitchConfig = {
  bridges: {
    br0: testBridge('br0', { ...testPort('eth1'), ...testPort('old') }),
    br1: testBridge('br1'),
  },
};

function plan(desired: VswitchConfig, facts: OvsFacts = noFacts) {
  return planOvsChanges({ config: current, facts }, desired);
}

function edited(edit: (config: VswitchConfig) => void): VswitchConfig {
  const copy = structuredClone(current);
  edit(copy);
  return copy;
}

const port = (config: VswitchConfig, bridge: string, name: string) =>
  config.bridges[bridge]?.ports[name] as ReturnType<typeof emptyPort>;

describe('planOvsChanges', () => {
  it('plans nothing when the switch matches, also when the desired bridges leave out their own ports', () => {
    expect(plan(structuredClone(current))).toEqual({ changes: [], unresolved: [] });
    const withoutOwnPorts = edited((config) => {
      for (const [name, bridge] of Object.entries(config.bridges)) delete bridge.ports[name];
    });
    expect(plan(withoutOwnPorts)).toEqual({ changes: [], unresolved: [] });
  });

  it('puts every difference into one OVSDB transaction change that lists each item', () => {
    const desired = edited((config) => {
      delete config.bridges.br1;
      config.bridges.br2 = testBridge('br2');
      port(config, 'br0', 'eth1').tag = 20;
      delete config.bridges.br0?.ports.old;
      Object.assign(config.bridges.br0?.ports ?? {}, testPort('eth2'));
    });
    const { changes, unresolved } = plan(desired);
    expect(unresolved).toEqual([]);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      id: 'ovs:ovsdb-transaction:Open_vSwitch',
      plugin: 'ovs',
      kind: 'ovsdb-transaction',
      action: 'update',
      target: 'Open_vSwitch',
      phase: 'settings',
      description:
        'one OVSDB transaction: ~ port br0/eth1 tag unset → 20; + port br0/eth2; - port br0/old; - bridge br1; + bridge br2',
      reason: '5 differences between the switch and the desired state',
      risk: 'medium',
      riskNote: 'removes port br0/old, bridge br1: traffic through it stops',
      before: current,
    });
    expect(changes[0]?.after).toEqual(desired);
  });

  it('names create and delete of the whole switch, and creating alone is low risk', () => {
    const created = planOvsChanges({ config: { bridges: {} }, facts: noFacts }, current).changes[0];
    expect(created).toMatchObject({ action: 'create', risk: 'low' });
    expect(created?.riskNote).toBeUndefined();
    expect(plan({ bridges: {} }).changes[0]).toMatchObject({ action: 'delete', risk: 'medium' });
  });

  it('is high risk when it reconfigures or removes a system device or internal port whose link is up', () => {
    const facts: OvsFacts = {
      ...noFacts,
      interfaces: {
        eth1: {
          bridge: 'br0',
          port: 'eth1',
          ofport: 1,
          linkState: 'up',
          adminState: 'up',
          macInUse: null,
          mtu: 1500,
          error: null,
        },
        br1: {
          bridge: 'br1',
          port: 'br1',
          ofport: 65534,
          linkState: 'up',
          adminState: 'up',
          macInUse: null,
          mtu: 1500,
          error: null,
        },
      },
    };
    const retagged = edited((config) => {
      port(config, 'br0', 'eth1').tag = 5;
    });
    expect(plan(retagged, facts).changes[0]).toMatchObject({
      risk: 'high',
      riskNote: expect.stringMatching(/^reconfigures or removes eth1, whose link is up/),
    });
    const withoutBr1 = edited((config) => {
      delete config.bridges.br1;
    });
    expect(plan(withoutBr1, facts).changes[0]?.riskNote).toMatch(/removes br1, whose link is up/);
    // Labels for other software do not touch traffic.
    const labelled = edited((config) => {
      port(config, 'br0', 'eth1').externalIds = { owner: 'ops' };
    });
    expect(plan(labelled, facts).changes[0]).toMatchObject({ risk: 'low' });
  });

  it('keeps a withheld secret the switch has, and blocks on one it would have to write', () => {
    const live = edited((config) => {
      Object.assign(config.bridges.br0?.ports ?? {}, {
        gre0: emptyPort({
          gre0: { ...systemInterface, type: 'gre', options: { psk: REDACTED, remote_ip: '10.0.0.9' } },
        }),
      });
    });
    const desired = structuredClone(live);
    expect(planOvsChanges({ config: live, facts: noFacts }, desired)).toEqual({
      changes: [],
      unresolved: [],
    });
    const { changes, unresolved } = plan(desired);
    expect(changes).toHaveLength(1);
    expect(unresolved).toEqual([
      {
        plugin: 'ovs',
        path: '$.sections.ovs.config.bridges.br0.ports.gre0.interfaces.gre0.options.psk',
        description: expect.stringMatching(/withheld this secret .* cannot write it/),
        blocking: true,
      },
    ]);
  });
});
