import { describe, expect, it } from 'vitest';
import { recordedConfig } from '../../../test/fixtures/ovsdb/recorded.js';
import { systemInterface, testBridge, testPort } from '../../../test/fixtures/ovsdb/vswitch-configs.js';
import { emptyPort } from '../../ovsdb/vswitch-model.js';
import { redactVswitch } from './secrets.js';
import { ovsToAnsible } from './to-ansible.js';

const OVS = 'openvswitch.openvswitch';

describe('ovsToAnsible', () => {
  const { tasks, handlers, unsupported } = ovsToAnsible(redactVswitch(recordedConfig()).config);
  const task = (name: string) => tasks.find((step) => step.task.name === name)?.task;

  it('creates bridges, ports and bonds with the openvswitch modules, after services are started', () => {
    expect(new Set(tasks.map((step) => step.phase))).toEqual(new Set(['enablement']));
    expect(handlers).toEqual([]);
    expect(task('OVS bridge br0')).toEqual({
      name: 'OVS bridge br0',
      [`${OVS}.openvswitch_bridge`]: {
        bridge: 'br0',
        state: 'present',
        fail_mode: 'secure',
        set: 'Bridge br0 datapath_type=netdev',
      },
    });
    expect(task('OVS port br0/eth1')).toEqual({
      name: 'OVS port br0/eth1',
      [`${OVS}.openvswitch_port`]: { bridge: 'br0', port: 'eth1', state: 'present', tag: '10' },
    });
    expect(task('OVS port br0/vx1')?.[`${OVS}.openvswitch_port`]).toEqual({
      bridge: 'br0',
      port: 'vx1',
      state: 'present',
      set: ['Interface vx1 type=vxlan options:key=5000 options:remote_ip=10.0.0.2'],
    });
    expect(task('OVS bond br0/bond0')?.[`${OVS}.openvswitch_bond`]).toEqual({
      bridge: 'br0',
      port: 'bond0',
      interfaces: ['eth2', 'eth3'],
      state: 'present',
      bond_mode: 'balance-slb',
      lacp: 'active',
    });
    // Controllers and whole set columns: set only when ovs-vsctl does not already print the wanted value.
    const compareThenSet = (name: string) => {
      const found = task(name) as Record<string, unknown>;
      expect(found.changed_when).toBe(`${found.register}.stdout == "changed"`);
      const { argv } = found['ansible.builtin.command'] as { argv: string[] };
      expect(argv.slice(0, 2)).toEqual(['sh', '-c']);
      expect(argv[3]).toBe('sh');
      return { script: argv[2] as string, args: argv.slice(4) };
    };
    const controllers = compareThenSet('OVS controllers of br0');
    expect(controllers.script).toContain('ovs-vsctl get-controller "$bridge"');
    expect(controllers.script).toContain('ovs-vsctl set-controller "$bridge" "$@" && echo changed');
    expect(controllers.args).toEqual([
      'br0',
      'ptcp:6654\ntcp:127.0.0.1:6653',
      'ptcp:6654',
      'tcp:127.0.0.1:6653',
    ]);
    const protocols = compareThenSet('OVS Bridge br0 protocols');
    expect(protocols.script).toContain('ovs-vsctl set "$1" "$2" "$3=$4" && echo changed');
    expect(protocols.args).toEqual(['Bridge', 'br0', 'protocols', '[OpenFlow10, OpenFlow13]']);
    expect(compareThenSet('OVS Port trunk1 trunks').args).toEqual([
      'Port',
      'trunk1',
      'trunks',
      '[20, 30, 40]',
    ]);
    // Never a task that removes anything.
    expect(JSON.stringify(tasks)).not.toContain('absent');
  });

  it('converges every other scalar column and map key of existing rows with openvswitch_db', () => {
    const db = tasks
      .map((step) => step.task[`${OVS}.openvswitch_db`] as Record<string, string> | undefined)
      .filter((args) => args !== undefined)
      .map(
        (args) => `${args.table} ${args.record} ${args.col}${args.key ? `:${args.key}` : ''}=${args.value}`,
      );
    expect(db).toEqual([
      'Bridge br0 datapath_type=netdev',
      'Bridge br0 stp_enable=true',
      'Bridge br0 other_config:hwaddr=02:00:00:00:00:01',
      'Bridge br0 external_ids:owner=ops',
      'Port bond0 bond_mode=balance-slb',
      'Port bond0 lacp=active',
      'Port bond0 other_config:bond-detect-mode=miimon',
      'Interface gre-sec type=gre',
      'Interface gre-sec options:remote_ip=10.0.0.3',
      'Interface patch-a type=patch',
      'Interface patch-a options:peer=patch-b',
      'Port trunk1 vlan_mode=trunk',
      'Interface trunk1 mtu_request=9000',
      'Interface vx1 type=vxlan',
      'Interface vx1 options:key=5000',
      'Interface vx1 options:remote_ip=10.0.0.2',
      'Interface vx1 external_ids:iface-id=vm1',
      'Interface in1 type=internal',
      'Interface patch-b type=patch',
      'Interface patch-b options:peer=patch-a',
    ]);
  });

  it('lists withheld secrets and what the modules would splice into a command line wrongly', () => {
    expect(unsupported).toEqual([
      {
        item: '$.sections.ovs.config.bridges.br0.ports["gre-sec"].interfaces["gre-sec"].options.psk',
        reason: 'the capture withheld this secret',
      },
    ]);
    const bridge = testBridge('br0', { ...testPort('eth1'), odd: emptyPort({ other: systemInterface }) });
    bridge.otherConfig = { note: 'a b' };
    bridge.controllers = ['tcp:"x"'];
    const hostile = ovsToAnsible({ bridges: { br0: bridge, "b'r": testBridge("b'r") } });
    expect(hostile.unsupported.map((entry) => entry.item)).toEqual([
      '$.sections.ovs.config.bridges.br0.otherConfig.note',
      '$.sections.ovs.config.bridges.br0.controllers',
      '$.sections.ovs.config.bridges.br0.ports.odd',
      `$.sections.ovs.config.bridges["b'r"]`,
    ]);
    expect(hostile.tasks.map((step) => step.task.name)).toEqual(['OVS bridge br0', 'OVS port br0/eth1']);
  });
});
