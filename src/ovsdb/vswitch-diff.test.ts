import { describe, expect, it } from 'vitest';
import { systemInterface, testBridge, testPort } from '../../test/fixtures/ovsdb/vswitch-configs.js';
import { diffVswitch } from './vswitch-diff.js';
import { emptyPort, normalizedVswitch, type VswitchConfig } from './vswitch-model.js';

const base: VswitchConfig = {
  bridges: { br0: testBridge('br0', { ...testPort('eth1'), ...testPort('old') }), br1: testBridge('br1') },
};

function changed(mutate: (config: VswitchConfig) => void): VswitchConfig {
  const copy = structuredClone(base);
  mutate(copy);
  return copy;
}

describe('diffVswitch', () => {
  it('finds nothing between equal configurations', () => {
    expect(diffVswitch(base, structuredClone(base))).toEqual([]);
  });

  it('lists a new or removed bridge once, with its ports implied', () => {
    const desired = changed((config) => {
      delete config.bridges.br1;
      config.bridges.br2 = testBridge('br2', testPort('eth9'));
    });
    expect(diffVswitch(base, desired)).toEqual([
      { action: 'delete', kind: 'bridge', path: ['br1'] },
      { action: 'create', kind: 'bridge', path: ['br2'] },
    ]);
  });

  it('names each changed setting of bridges, ports and interfaces with its old and new value', () => {
    const desired = changed((config) => {
      const br0 = config.bridges.br0 as VswitchConfig['bridges'][string];
      br0.failMode = 'secure';
      br0.controllers = ['tcp:10.0.0.1:6653'];
      (br0.ports.eth1 as (typeof br0.ports)[string]).tag = 20;
      (br0.ports.eth1 as (typeof br0.ports)[string]).interfaces.eth1 = {
        ...systemInterface,
        mtuRequest: 9000,
      };
      delete br0.ports.old;
      br0.ports.bond0 = emptyPort({ eth2: systemInterface, eth3: systemInterface });
    });
    expect(diffVswitch(base, desired)).toEqual([
      {
        action: 'update',
        kind: 'bridge',
        path: ['br0'],
        settings: [
          { setting: 'controllers', before: [], after: ['tcp:10.0.0.1:6653'] },
          { setting: 'failMode', before: null, after: 'secure' },
        ],
      },
      { action: 'create', kind: 'port', path: ['br0', 'bond0'] },
      {
        action: 'update',
        kind: 'port',
        path: ['br0', 'eth1'],
        settings: [{ setting: 'tag', before: null, after: 20 }],
      },
      {
        action: 'update',
        kind: 'interface',
        path: ['br0', 'eth1', 'eth1'],
        settings: [{ setting: 'mtuRequest', before: null, after: 9000 }],
      },
      { action: 'delete', kind: 'port', path: ['br0', 'old'] },
    ]);
  });

  it('sees a port moved to another bridge as a delete and a create, and interfaces added to a bond', () => {
    const desired = changed((config) => {
      delete config.bridges.br0?.ports.eth1;
      Object.assign(config.bridges.br1?.ports ?? {}, testPort('eth1'));
      (config.bridges.br0 as VswitchConfig['bridges'][string]).ports.old = emptyPort({
        old: systemInterface,
        eth5: systemInterface,
      });
    });
    expect(diffVswitch(base, desired)).toEqual([
      { action: 'delete', kind: 'port', path: ['br0', 'eth1'] },
      { action: 'create', kind: 'interface', path: ['br0', 'old', 'eth5'] },
      { action: 'create', kind: 'port', path: ['br1', 'eth1'] },
    ]);
  });
});

describe('normalizedVswitch', () => {
  it('gives a bridge that does not list its own port the one add-br makes, and keeps one that does', () => {
    const bare = { ...testBridge('br0'), ports: testPort('eth1') };
    expect(normalizedVswitch({ bridges: { br0: bare } })).toEqual({
      bridges: { br0: testBridge('br0', testPort('eth1')) },
    });
    const tagged = testBridge('br0');
    (tagged.ports.br0 as ReturnType<typeof emptyPort>).tag = 5;
    expect(normalizedVswitch({ bridges: { br0: tagged } }).bridges.br0).toEqual(tagged);
  });

  it('sorts sets and drops duplicates, as OVSDB stores them', () => {
    const bridge = testBridge('br0', testPort('eth1'));
    bridge.controllers = ['tcp:10.0.0.2:6653', 'ptcp:6653', 'ptcp:6653'];
    bridge.protocols = ['OpenFlow13', 'OpenFlow10'];
    (bridge.ports.eth1 as ReturnType<typeof emptyPort>).trunks = [30, 4, 30, 100];
    const normalized = normalizedVswitch({ bridges: { br0: bridge } }).bridges.br0;
    expect(normalized?.controllers).toEqual(['ptcp:6653', 'tcp:10.0.0.2:6653']);
    expect(normalized?.protocols).toEqual(['OpenFlow10', 'OpenFlow13']);
    expect(normalized?.ports.eth1?.trunks).toEqual([4, 30, 100]);
  });
});
