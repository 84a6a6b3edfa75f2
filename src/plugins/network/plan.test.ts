import { describe, expect, it } from 'vitest';
import { REDACTED } from '../../state/redact.js';
import type { CurrentSection } from '../types.js';
import { planNetworkChanges } from './plan.js';
import type { NetworkConfig, NetworkFacts, NetworkLink } from './schema.js';

const DIR = '/etc/systemd/network';
const HOST0 = `${DIR}/80-container-host0.network`;
const HOST0_TEXT = '[Match]\nName=host0\n\n[Network]\nAddress=10.250.4.2/30\n';
const SPARE = `${DIR}/90-spare.network`;

function link(
  name: string,
  networkFile: string | null,
  operState = 'up',
  addresses = ['10.250.4.2/30'],
): NetworkLink {
  return {
    index: 2,
    name,
    type: 'ether',
    kind: 'veth',
    driver: 'veth',
    mac: '42:97:f3:28:a2:bc',
    mtu: 1500,
    operState,
    addresses,
    networkd: {
      administrativeState: 'configured',
      operationalState: 'routable',
      carrierState: 'carrier',
      addressState: 'routable',
      onlineState: 'online',
      networkFile,
    },
  };
}

function current(links: NetworkLink[] = [link('host0', HOST0)], source: NetworkFacts['source'] = 'networkd') {
  const section: CurrentSection<NetworkConfig, NetworkFacts> = {
    config: { files: { [HOST0]: { kind: 'network', masked: false, content: HOST0_TEXT } } },
    facts: {
      source,
      overall: null,
      links,
      addressFamilies: ['ipv4', 'ipv6'],
      fileSummaries: {},
      problems: [],
    },
  };
  return section;
}

function desiredWith(files: NetworkConfig['files']): NetworkConfig {
  return { files: { ...current().config.files, ...files } };
}

const summary = (plan: ReturnType<typeof planNetworkChanges>) =>
  plan.changes.map((change) => [change.id, change.action, change.phase, change.risk]);

describe('planNetworkChanges', () => {
  it('plans nothing for equal configs', () => {
    expect(planNetworkChanges(current(), current().config)).toEqual({ changes: [], unresolved: [] });
  });

  it('creates, replaces, masks and removes files, then reloads networkd once, last to undo', () => {
    const now = current();
    now.config.files[`${DIR}/20-old.netdev`] = {
      kind: 'netdev',
      masked: false,
      content: '[NetDev]\nName=old\n',
    };
    now.config.files[`${DIR}/30-br0.netdev`] = {
      kind: 'netdev',
      masked: false,
      content: '[NetDev]\nName=br0\n',
    };
    const plan = planNetworkChanges(now, {
      files: {
        [HOST0]: { kind: 'network', masked: false, content: HOST0_TEXT },
        [`${DIR}/30-br0.netdev`]: {
          kind: 'netdev',
          masked: false,
          content: '[NetDev]\nName=br0\nKind=bridge\n',
        },
        [SPARE]: { kind: 'network', masked: false, content: '[Match]\nName=spare0\n' },
        [`${DIR}/99-default.link`]: { kind: 'link', masked: true, content: '' },
      },
    });
    expect(plan.unresolved).toEqual([]);
    expect(summary(plan)).toEqual([
      ['network:networkd-file:/etc/systemd/network/20-old.netdev', 'delete', 'files', 'low'],
      ['network:networkd-file:/etc/systemd/network/30-br0.netdev', 'update', 'files', 'low'],
      ['network:networkd-file:/etc/systemd/network/90-spare.network', 'create', 'files', 'low'],
      ['network:networkd-file:/etc/systemd/network/99-default.link', 'create', 'files', 'low'],
      ['network:reload:systemd-networkd', 'update', 'reload', 'medium'],
    ]);
    expect(plan.changes[3]).toMatchObject({ after: { symlink: '/dev/null' }, pendingReboot: true });
    expect(plan.changes[2]?.pendingReboot).toBeUndefined();
    const reload = plan.changes[4];
    expect(reload).toMatchObject({ undoLast: true, reason: '4 networkd files change' });
    expect(reload?.dependsOn).toHaveLength(4);
  });

  it('rates the reload high when it reconfigures a link in use, naming it', () => {
    const plan = planNetworkChanges(
      current(),
      desiredWith({ [HOST0]: { kind: 'network', masked: false, content: '' } }),
    );
    expect(plan.changes.at(-1)).toMatchObject({
      risk: 'high',
      riskNote: expect.stringMatching(
        /^reconfigures host0 \(10\.250\.4\.2\/30\).*may cut the connection you are using/,
      ),
    });
    const dropIn = planNetworkChanges(
      current([link('host0', `/usr/lib/systemd/network/80-container-host0.network`)]),
      desiredWith({
        [`${HOST0}.d/mtu.conf`]: { kind: 'network', masked: false, content: '[Link]\nMTUBytes=1400\n' },
      }),
    );
    expect(dropIn.changes.at(-1)?.risk).toBe('high');
    const removed = planNetworkChanges(current(), { files: {} });
    expect(summary(removed)).toEqual([
      [`network:networkd-file:${HOST0}`, 'delete', 'files', 'low'],
      ['network:reload:systemd-networkd', 'update', 'reload', 'high'],
    ]);
  });

  it('keeps the reload medium when the link of the changed file is down or has no address', () => {
    const changed = desiredWith({ [HOST0]: { kind: 'network', masked: false, content: '' } });
    expect(planNetworkChanges(current([link('host0', HOST0, 'down')]), changed).changes.at(-1)?.risk).toBe(
      'medium',
    );
    expect(planNetworkChanges(current([link('host0', HOST0, 'up', [])]), changed).changes.at(-1)?.risk).toBe(
      'medium',
    );
    expect(planNetworkChanges(current([link('host0', null)]), changed).changes.at(-1)?.risk).toBe('medium');
  });

  it('writes nothing with redacted secrets: equal redacted content is no change, different content blocks', () => {
    const key = `${DIR}/20-wg0.netdev`;
    const now = current();
    now.config.files[key] = {
      kind: 'netdev',
      masked: false,
      content: `[WireGuard]\nPrivateKey=${REDACTED}\n`,
    };
    expect(planNetworkChanges(now, structuredClone(now.config))).toEqual({ changes: [], unresolved: [] });
    const plan = planNetworkChanges(now, {
      files: {
        ...now.config.files,
        [key]: {
          kind: 'netdev',
          masked: false,
          content: `[WireGuard]\nListenPort=51820\nPrivateKey=${REDACTED}\n`,
        },
      },
    });
    expect(plan.changes).toEqual([]);
    expect(plan.unresolved).toEqual([
      expect.objectContaining({
        plugin: 'network',
        path: `$.sections.network.config.files[${JSON.stringify(key)}]`,
        blocking: true,
      }),
    ]);
  });

  it('does not reload a networkd that is not running: the files wait for its next start', () => {
    const plan = planNetworkChanges(
      current([], 'sysfs'),
      desiredWith({ [SPARE]: { kind: 'network', masked: false, content: '[Match]\nName=spare0\n' } }),
    );
    expect(summary(plan)).toEqual([[`network:networkd-file:${SPARE}`, 'create', 'files', 'low']]);
    expect(plan.changes[0]?.pendingReboot).toBe(true);
  });
});
