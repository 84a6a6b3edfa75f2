import { describe, expect, it } from 'vitest';
import { recordedReply } from '../../test/fixtures/ovsdb/recorded.js';
import type { OvsdbOperationResult } from './operations.js';
import { emptyPort, LOCAL_INTERFACE } from './vswitch-model.js';
import { vswitchFromSelectReply } from './vswitch-read.js';

const recorded = recordedReply;

const system = { type: '', options: {}, externalIds: {}, mtuRequest: null };

describe('vswitchFromSelectReply', () => {
  it('models bridges, ports and interfaces made with ovs-vsctl, keyed and sorted by name', () => {
    const { config, facts, rows } = vswitchFromSelectReply(recorded('private-server-select'));
    expect(Object.keys(config.bridges)).toEqual(['br0', 'br1']);
    const br0 = config.bridges.br0;
    expect(br0).toMatchObject({
      datapathType: 'netdev',
      failMode: 'secure',
      controllers: ['ptcp:6654', 'tcp:127.0.0.1:6653'],
      protocols: ['OpenFlow10', 'OpenFlow13'],
      stpEnable: true,
      rstpEnable: false,
      mcastSnoopingEnable: false,
      otherConfig: { hwaddr: '02:00:00:00:00:01' },
      externalIds: { owner: 'ops' },
    });
    expect(Object.keys(br0?.ports ?? {})).toEqual([
      'bond0',
      'br0',
      'eth1',
      'gre-sec',
      'patch-a',
      'trunk1',
      'vx1',
    ]);
    expect(br0?.ports.br0).toEqual(emptyPort({ br0: LOCAL_INTERFACE }));
    expect(br0?.ports.eth1).toEqual({ ...emptyPort({ eth1: system }), tag: 10 });
    expect(br0?.ports.bond0).toEqual({
      ...emptyPort({ eth2: system, eth3: system }),
      bondMode: 'balance-slb',
      lacp: 'active',
      otherConfig: { 'bond-detect-mode': 'miimon' },
    });
    expect(br0?.ports.trunk1).toEqual({
      ...emptyPort({ trunk1: { ...system, mtuRequest: 9000 } }),
      trunks: [20, 30, 40],
      vlanMode: 'trunk',
    });
    expect(br0?.ports.vx1?.interfaces.vx1).toEqual({
      type: 'vxlan',
      options: { key: '5000', remote_ip: '10.0.0.2' },
      externalIds: { 'iface-id': 'vm1' },
      mtuRequest: null,
    });
    expect(br0?.ports['patch-a']?.interfaces['patch-a']?.options).toEqual({ peer: 'patch-b' });
    expect(config.bridges.br1).toEqual({
      datapathType: '',
      failMode: null,
      controllers: [],
      protocols: [],
      stpEnable: false,
      rstpEnable: false,
      mcastSnoopingEnable: false,
      otherConfig: {},
      externalIds: {},
      ports: {
        br1: emptyPort({ br1: LOCAL_INTERFACE }),
        in1: emptyPort({ in1: { ...system, type: 'internal' } }),
        'patch-b': emptyPort({ 'patch-b': { ...system, type: 'patch', options: { peer: 'patch-a' } } }),
      },
    });
    // Without ovs-vswitchd nobody fills in versions or interface state.
    expect(facts).toMatchObject({ ovsVersion: null, dbVersion: null, problems: [] });
    expect(facts.interfaces.eth2).toEqual({
      bridge: 'br0',
      port: 'bond0',
      ofport: null,
      linkState: null,
      adminState: null,
      macInUse: null,
      mtu: null,
      error: null,
    });
    expect(Object.keys(rows.interfaces)).toHaveLength(11);
    expect(Object.keys(rows.controllers.br0 ?? {})).toEqual(['ptcp:6654', 'tcp:127.0.0.1:6653']);
    for (const id of Object.values(rows.ports)) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('takes what ovs-vswitchd reports as facts: versions, ofport, link state, MAC, MTU and errors', () => {
    const { config, facts } = vswitchFromSelectReply(recorded('target-select'));
    expect(facts).toMatchObject({
      ovsVersion: '3.1.0',
      dbVersion: '8.3.1',
      systemType: 'debian',
      systemVersion: '12',
    });
    expect(facts.interfaces.oprec0).toMatchObject({ bridge: 'oprec0', port: 'oprec0', ofport: 65534 });
    expect(facts.interfaces['oprec-in']).toMatchObject({ ofport: 1, mtu: 1400, adminState: 'down' });
    expect(facts.interfaces['oprec-vx']?.macInUse).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    expect(facts.interfaces['oprec-missing']).toMatchObject({
      ofport: -1,
      error: 'could not open network device oprec-missing (No such device)',
    });
    // Facts stay out of config.
    expect(config.bridges.oprec0?.ports['oprec-in']).toEqual({
      ...emptyPort({ 'oprec-in': { ...system, type: 'internal', mtuRequest: 1400 } }),
      tag: 7,
    });
  });

  it('lists a row two parents refer to once, under the first by name, leaves out bridges the root row does not list, and says so', () => {
    const port = (id: string) => ['uuid', id];
    const reply = [
      { rows: [{ bridges: ['set', [port('b1'), port('b2')]] }] },
      {
        rows: [
          { _uuid: port('b3'), name: 'ghost', ports: ['set', []], controller: ['set', []] },
          { _uuid: port('b2'), name: 'br-b', ports: port('p1'), controller: ['set', []] },
          { _uuid: port('b1'), name: 'br-a', ports: port('p1'), controller: ['set', []] },
        ],
      },
      { rows: [{ _uuid: port('p1'), name: 'shared', interfaces: port('i1') }] },
      { rows: [{ _uuid: port('i1'), name: 'shared', type: '' }] },
      { rows: [] },
    ] as unknown as OvsdbOperationResult[];
    const { config, facts } = vswitchFromSelectReply(reply);
    expect(Object.keys(config.bridges['br-a']?.ports ?? {})).toEqual(['shared']);
    expect(config.bridges['br-b']?.ports).toEqual({});
    expect(Object.keys(config.bridges)).toEqual(['br-a', 'br-b']);
    expect(facts.problems).toEqual([
      'bridge ghost is not in Open_vSwitch.bridges (another row keeps it): ovs-vswitchd ignores it, and its name is taken',
      'port shared is in bridge br-a and in bridge br-b; listed under bridge br-a only',
    ]);
  });
});
