import { describe, expect, it } from 'vitest';
import {
  noVswitchFacts,
  systemInterface,
  testBridge,
  testPort,
} from '../../test/fixtures/ovsdb/vswitch-configs.js';
import { emptyPort, type VswitchConfig, type VswitchSnapshot } from './vswitch-model.js';
import { vswitchOperations } from './vswitch-transaction.js';

const live: VswitchSnapshot = {
  config: { bridges: { br0: { ...testBridge('br0', testPort('eth1')), controllers: ['ptcp:6653'] } } },
  facts: noVswitchFacts,
  rows: {
    bridges: { br0: 'b-0' },
    ports: { br0: 'p-br0', eth1: 'p-eth1' },
    interfaces: { br0: 'i-br0', eth1: 'i-eth1' },
    controllers: { br0: { 'ptcp:6653': 'c-1' } },
  },
};

function desiredFrom(mutate: (config: VswitchConfig) => void): VswitchConfig {
  const copy = structuredClone(live.config);
  mutate(copy);
  return copy;
}

describe('vswitchOperations', () => {
  it('is empty when the live switch already matches, comment or not', () => {
    expect(vswitchOperations(live, structuredClone(live.config), 'op-dbus apply')).toEqual({
      guards: [],
      operations: [],
    });
  });

  it("never deletes a bridge's own port that the desired state leaves out", () => {
    const desired = desiredFrom((config) => {
      delete config.bridges.br0?.ports.br0;
    });
    expect(vswitchOperations(live, desired).operations).toEqual([]);
  });

  it('creates a bridge as add-br does: interface, port, bridge, then a reference from the root row', () => {
    const desired = desiredFrom((config) => {
      config.bridges.br1 = { ...testBridge('br1'), failMode: 'secure' };
    });
    expect(vswitchOperations(live, desired, 'op-dbus apply: 1 change').operations).toEqual([
      {
        op: 'insert',
        table: 'Interface',
        row: {
          name: 'br1',
          type: 'internal',
          options: ['map', []],
          external_ids: ['map', []],
          mtu_request: ['set', []],
        },
        'uuid-name': 'new_interface_1',
      },
      {
        op: 'insert',
        table: 'Port',
        row: {
          name: 'br1',
          tag: ['set', []],
          trunks: ['set', []],
          vlan_mode: ['set', []],
          bond_mode: ['set', []],
          lacp: ['set', []],
          other_config: ['map', []],
          external_ids: ['map', []],
          interfaces: ['set', [['named-uuid', 'new_interface_1']]],
        },
        'uuid-name': 'new_port_2',
      },
      {
        op: 'insert',
        table: 'Bridge',
        row: {
          name: 'br1',
          datapath_type: '',
          fail_mode: 'secure',
          protocols: ['set', []],
          stp_enable: false,
          rstp_enable: false,
          mcast_snooping_enable: false,
          other_config: ['map', []],
          external_ids: ['map', []],
          ports: ['set', [['named-uuid', 'new_port_2']]],
          controller: ['set', []],
        },
        'uuid-name': 'new_bridge_3',
      },
      {
        op: 'mutate',
        table: 'Open_vSwitch',
        where: [],
        mutations: [['bridges', 'insert', ['named-uuid', 'new_bridge_3']]],
      },
      { op: 'comment', comment: 'op-dbus apply: 1 change' },
    ]);
  });

  it('deletes by removing references only, leaving the rows to OVSDB garbage collection', () => {
    const desired = desiredFrom((config) => {
      delete config.bridges.br0?.ports.eth1;
    });
    expect(vswitchOperations(live, desired).operations).toEqual([
      {
        op: 'mutate',
        table: 'Bridge',
        where: [['_uuid', '==', ['uuid', 'b-0']]],
        mutations: [['ports', 'delete', ['uuid', 'p-eth1']]],
      },
    ]);
    expect(vswitchOperations(live, { bridges: {} }).operations).toEqual([
      { op: 'mutate', table: 'Open_vSwitch', where: [], mutations: [['bridges', 'delete', ['uuid', 'b-0']]] },
    ]);
  });

  it('updates only the changed columns, and keeps the rows of controllers that stay', () => {
    const desired = desiredFrom((config) => {
      const br0 = config.bridges.br0 as VswitchConfig['bridges'][string];
      br0.controllers = ['ptcp:6653', 'tcp:10.0.0.1:6653'];
      br0.externalIds = { owner: 'ops' };
      const eth1 = br0.ports.eth1 as ReturnType<typeof emptyPort>;
      eth1.trunks = [10, 20];
      eth1.vlanMode = 'trunk';
      eth1.interfaces.eth1 = { ...systemInterface, options: { key: '7' } };
    });
    expect(vswitchOperations(live, desired).operations).toEqual([
      {
        op: 'insert',
        table: 'Controller',
        row: { target: 'tcp:10.0.0.1:6653' },
        'uuid-name': 'new_controller_1',
      },
      {
        op: 'update',
        table: 'Bridge',
        where: [['_uuid', '==', ['uuid', 'b-0']]],
        row: {
          controller: [
            'set',
            [
              ['uuid', 'c-1'],
              ['named-uuid', 'new_controller_1'],
            ],
          ],
        },
      },
      {
        op: 'update',
        table: 'Bridge',
        where: [['_uuid', '==', ['uuid', 'b-0']]],
        row: { external_ids: ['map', [['owner', 'ops']]] },
      },
      {
        op: 'update',
        table: 'Port',
        where: [['_uuid', '==', ['uuid', 'p-eth1']]],
        row: { trunks: ['set', [10, 20]], vlan_mode: 'trunk' },
      },
      {
        op: 'update',
        table: 'Interface',
        where: [['_uuid', '==', ['uuid', 'i-eth1']]],
        row: { options: ['map', [['key', '7']]] },
      },
    ]);
  });

  it('adds a port with its interfaces to an existing bridge, and an interface to an existing port', () => {
    const desired = desiredFrom((config) => {
      const br0 = config.bridges.br0 as VswitchConfig['bridges'][string];
      br0.ports.bond0 = emptyPort({ eth2: systemInterface, eth3: systemInterface });
      (br0.ports.eth1 as ReturnType<typeof emptyPort>).interfaces.eth4 = systemInterface;
    });
    const { operations } = vswitchOperations(live, desired);
    expect(
      operations.map((operation) => `${operation.op} ${'table' in operation ? operation.table : ''}`),
    ).toEqual([
      'insert Interface',
      'insert Interface',
      'insert Port',
      'mutate Bridge',
      'insert Interface',
      'mutate Port',
    ]);
    expect(operations[3]).toMatchObject({ mutations: [['ports', 'insert', ['named-uuid', 'new_port_3']]] });
    expect(operations[5]).toMatchObject({
      where: [['_uuid', '==', ['uuid', 'p-eth1']]],
      mutations: [['interfaces', 'insert', ['named-uuid', 'new_interface_4']]],
    });
  });

  it('restates each live row it refers to as a guard, once, and none for rows it only creates', () => {
    const desired = desiredFrom((config) => {
      const br0 = config.bridges.br0 as VswitchConfig['bridges'][string];
      (br0.ports.eth1 as ReturnType<typeof emptyPort>).tag = 7;
      (br0.ports.eth1 as ReturnType<typeof emptyPort>).interfaces.eth4 = systemInterface;
      br0.ports.eth5 = emptyPort({ eth5: systemInterface });
      config.bridges.br9 = testBridge('br9');
    });
    const stillNamed = (table: string, id: string, name: string) => ({
      op: 'wait',
      timeout: 0,
      table,
      where: [['_uuid', '==', ['uuid', id]]],
      columns: ['name'],
      until: '==',
      rows: [{ name }],
    });
    const { guards } = vswitchOperations(live, desired);
    expect(guards).toHaveLength(2);
    expect(guards).toEqual(
      expect.arrayContaining([stillNamed('Bridge', 'b-0', 'br0'), stillNamed('Port', 'p-eth1', 'eth1')]),
    );
    expect(vswitchOperations(live, { bridges: {} }).guards).toEqual([stillNamed('Bridge', 'b-0', 'br0')]);
    const keptController = desiredFrom((config) => {
      (config.bridges.br0 as VswitchConfig['bridges'][string]).controllers = ['ptcp:6653', 'ptcp:6654'];
    });
    expect(vswitchOperations(live, keptController).guards).toEqual([
      stillNamed('Bridge', 'b-0', 'br0'),
      { ...stillNamed('Controller', 'c-1', ''), columns: ['target'], rows: [{ target: 'ptcp:6653' }] },
    ]);
  });

  it('refuses to refer to a row the live switch does not have', () => {
    const stale = { ...live, rows: { ...live.rows, ports: {} } };
    expect(() => vswitchOperations(stale, { bridges: { br0: testBridge('br0') } })).toThrow(
      'the live switch has no port eth1',
    );
  });
});
