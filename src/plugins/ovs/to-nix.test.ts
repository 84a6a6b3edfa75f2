import { describe, expect, it } from 'vitest';
import { recordedConfig } from '../../../test/fixtures/ovsdb/recorded.js';
import { systemInterface, testBridge, testPort } from '../../../test/fixtures/ovsdb/vswitch-configs.js';
import { emptyPort } from '../../ovsdb/vswitch-model.js';
import { redactVswitch } from './secrets.js';
import { ovsToNix } from './to-nix.js';

const valueAt = (options: ReturnType<typeof ovsToNix>['options'], ...path: string[]) =>
  options.find((option) => option.path.join('.') === ['networking', 'vswitches', ...path].join('.'))?.value;

describe('ovsToNix', () => {
  it("maps ports to networking.vswitches interfaces and the rest to extraOvsctlCmds, in ovs-vsctl's words", () => {
    const { options, unmapped } = ovsToNix(redactVswitch(recordedConfig()).config);
    expect(valueAt(options, 'br0', 'interfaces')).toEqual({
      eth1: { vlan: 10 },
      'gre-sec': { type: 'gre' },
      'patch-a': { type: 'patch' },
      trunk1: {},
      vx1: { type: 'vxlan' },
    });
    expect(valueAt(options, 'br0', 'supportedOpenFlowVersions')).toEqual(['OpenFlow10', 'OpenFlow13']);
    // Two controllers: NixOS's `controllers` would keep only the last, so one set-controller command holds both.
    expect(valueAt(options, 'br0', 'controllers')).toBeUndefined();
    expect(String(valueAt(options, 'br0', 'extraOvsctlCmds')).split('\n')).toEqual([
      'set Bridge br0 datapath_type=netdev',
      'set-fail-mode br0 secure',
      'set Bridge br0 stp_enable=true',
      'set Bridge br0 other_config:hwaddr=02:00:00:00:00:01',
      'set Bridge br0 external_ids:owner=ops',
      'set-controller br0 ptcp:6654 tcp:127.0.0.1:6653',
      'add-bond br0 bond0 eth2 eth3',
      'set Port bond0 bond_mode=balance-slb',
      'set Port bond0 lacp=active',
      'set Port bond0 other_config:bond-detect-mode=miimon',
      'set Interface gre-sec options:remote_ip=10.0.0.3',
      'set Interface patch-a options:peer=patch-b',
      'set Port trunk1 trunks=20,30,40',
      'set Port trunk1 vlan_mode=trunk',
      'set Interface trunk1 mtu_request=9000',
      'set Interface vx1 options:key=5000',
      'set Interface vx1 options:remote_ip=10.0.0.2',
      'set Interface vx1 external_ids:iface-id=vm1',
    ]);
    expect(valueAt(options, 'br1', 'interfaces')).toEqual({
      in1: { type: 'internal' },
      'patch-b': { type: 'patch' },
    });
    expect(unmapped).toEqual([
      {
        item: '$.sections.ovs.config.bridges.br0.ports["gre-sec"].interfaces["gre-sec"].options.psk',
        reason: 'the capture withheld this secret',
      },
    ]);
  });

  it("writes out OVS's default protocols, which NixOS cannot leave empty, and loads rules with one the bridge speaks", () => {
    const bridge = testBridge('br0');
    const { options } = ovsToNix({ bridges: { br0: bridge } });
    expect(options).toContainEqual({
      path: ['networking', 'vswitches', 'br0', 'supportedOpenFlowVersions'],
      value: ['OpenFlow10', 'OpenFlow11', 'OpenFlow12', 'OpenFlow13', 'OpenFlow14', 'OpenFlow15'],
      comment: 'the capture leaves protocols empty, which enables all six',
    });
    expect(valueAt(options, 'br0', 'openFlowVersion')).toBeUndefined();
    expect(valueAt(options, 'br0', 'extraOvsctlCmds')).toBeUndefined();
    bridge.protocols = ['OpenFlow10', 'OpenFlow14'];
    bridge.controllers = ['tcp:10.0.0.1:6653'];
    const narrowed = ovsToNix({ bridges: { br0: bridge } }).options;
    expect(valueAt(narrowed, 'br0', 'openFlowVersion')).toBe('OpenFlow14');
    expect(valueAt(narrowed, 'br0', 'controllers')).toEqual(['tcp:10.0.0.1:6653']);
  });

  it('lists what a shell or ovs-vsctl would misread instead of splicing it into the setup script', () => {
    const bridge = testBridge('br0', {
      ...testPort('eth1'),
      a$b: emptyPort({ a$b: systemInterface }),
      odd: emptyPort({ other: systemInterface }),
    });
    bridge.externalIds = { note: 'two words', 'k:v': 'x', ok: 'fine' };
    bridge.controllers = ['unix:/run/a;b.sock'];
    const { options, unmapped } = ovsToNix({ bridges: { br0: bridge, 'b`r': testBridge('b`r') } });
    expect(unmapped.map((entry) => entry.item)).toEqual([
      '$.sections.ovs.config.bridges.br0.externalIds.note',
      '$.sections.ovs.config.bridges.br0.externalIds["k:v"]',
      '$.sections.ovs.config.bridges.br0.controllers[0]',
      '$.sections.ovs.config.bridges.br0.ports.a$b',
      '$.sections.ovs.config.bridges.br0.ports.odd',
      '$.sections.ovs.config.bridges["b`r"]',
    ]);
    expect(unmapped[4]?.reason).toMatch(/one interface named like the port/);
    expect(valueAt(options, 'br0', 'extraOvsctlCmds')).toBe('set Bridge br0 external_ids:ok=fine');
    expect(valueAt(options, 'br0', 'interfaces')).toEqual({ eth1: {} });
    expect(options.some((option) => option.path.includes('b`r'))).toBe(false);
  });
});
