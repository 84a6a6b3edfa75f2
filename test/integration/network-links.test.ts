// The network plugin on a real target: links from networkd's Describe() must match `ip -j addr` run
// inside the target, the sysfs fallback must never report another namespace's links and must give the
// IPv6 addresses `ip -j addr` shows, and networkd files must come back summarized with their keys redacted.
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Machine } from '../../src/machine/machine.js';
import { networkPlugin } from '../../src/plugins/network/index.js';
import type { NetworkConfig, NetworkFacts } from '../../src/plugins/network/schema.js';
import { REDACTED } from '../../src/state/redact.js';
import { containerRoot, execInTarget, machineFor, TESTBED_DIR, target } from './testbed-env.js';

interface IpLink {
  ifindex: number;
  ifname: string;
  mtu: number;
  operstate: string;
  address?: string;
  addr_info: { family: string; local: string; prefixlen: number }[];
}

const context = { managedBusNames: new Map<string, string>() };
const testbedTarget = target(0);
const WIREGUARD_NETDEV = '/etc/systemd/network/90-op-dbus-test-wg.netdev';
const PRIVATE_KEY = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
const PRESHARED_KEY = '/UwcSPg38hW/D9Y3tcS1FOV0K1wuURMbS0sesJEP5ak=';

async function discover(machine: Machine) {
  try {
    expect(await networkPlugin.available(machine)).toEqual({ ok: true });
    const found = await networkPlugin.discover(machine, context);
    return {
      config: networkPlugin.configSchema.parse(found.config) as NetworkConfig,
      facts: networkPlugin.factsSchema.parse(found.facts) as NetworkFacts,
      redactions: found.redactions ?? [],
    };
  } finally {
    await machine.close();
  }
}

/** The links `ip -j addr` shows, with the addresses of the given families. */
function observedLinks(ipAddr: IpLink[], families = ['inet', 'inet6']) {
  return ipAddr
    .map((link) => ({
      index: link.ifindex,
      name: link.ifname,
      mtu: link.mtu,
      operState: link.operstate.toLowerCase(),
      mac: !link.address || /^[0:]+$/.test(link.address) ? null : link.address,
      addresses: link.addr_info
        .filter((info) => families.includes(info.family))
        .map((info) => `${info.local}/${info.prefixlen}`)
        .sort(),
    }))
    .sort((a, b) => a.index - b.index);
}

function discoveredLinks(facts: NetworkFacts) {
  return facts.links.map(({ index, name, mtu, operState, mac, addresses }) => ({
    index,
    name,
    mtu,
    operState,
    mac,
    addresses: [...(addresses ?? [])].sort(),
  }));
}

describe('network plugin on a testbed target', () => {
  let viaNetworkd: Awaited<ReturnType<typeof discover>>;
  let viaSysfs: Awaited<ReturnType<typeof discover>>;
  let hostViaSysfs: Awaited<ReturnType<typeof discover>>;
  let ipAddr: IpLink[];
  let hostIpAddr: IpLink[];

  beforeAll(async () => {
    const netdev = `[NetDev]\nName=wgtest0\nKind=wireguard\n\n[WireGuard]\nPrivateKey=${PRIVATE_KEY}\nListenPort=51820\n\n[WireGuardPeer]\nPublicKey=xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\nPresharedKey=${PRESHARED_KEY}\nAllowedIPs=10.99.0.2/32\n`;
    // Written without reloading networkd, so the running target is not reconfigured.
    await writeFile(`${containerRoot(testbedTarget)}${WIREGUARD_NETDEV}`, netdev, { mode: 0o640 });
    viaNetworkd = await discover(machineFor(testbedTarget));
    const noBus = `unix:path=${TESTBED_DIR}/no-such-dir/system_bus_socket`;
    viaSysfs = await discover(new Machine({ busAddress: noBus, root: containerRoot(testbedTarget) }));
    ipAddr = JSON.parse(await execInTarget(testbedTarget, ['ip', '-j', 'addr'])) as IpLink[];
    // The targets' /sys is the host's, so the fallback's links and addresses are checked on the host.
    hostViaSysfs = await discover(new Machine({ busAddress: noBus, root: '/' }));
    hostIpAddr = JSON.parse((await promisify(execFile)('ip', ['-j', 'addr'])).stdout) as IpLink[];
  });

  afterAll(async () => {
    await rm(`${containerRoot(testbedTarget)}${WIREGUARD_NETDEV}`, { force: true });
  });

  it('reads links from networkd that match ip -j addr inside the target', () => {
    expect(viaNetworkd.facts.source).toBe('networkd');
    expect(viaNetworkd.facts.fallbackReason).toBeUndefined();
    expect(viaNetworkd.facts.addressFamilies).toEqual(['ipv4', 'ipv6']);
    expect(discoveredLinks(viaNetworkd.facts)).toEqual(observedLinks(ipAddr));
  });

  it("reports networkd's setup state and the .network file it applied", () => {
    const host0 = viaNetworkd.facts.links.find((link) => link.name === 'host0');
    expect(host0?.networkd).toMatchObject({
      administrativeState: 'configured',
      networkFile: '/etc/systemd/network/80-container-host0.network',
    });
    expect(host0?.addresses).toContain(`${testbedTarget.targetAddress}/30`);
    expect(viaNetworkd.facts.overall?.operationalState).toBeTypeOf('string');
  });

  it.each([
    ['the target', () => viaSysfs, () => ipAddr],
    ['the host', () => hostViaSysfs, () => hostIpAddr],
  ])(
    'falls back to sysfs on %s: never links of another namespace, IPv6 addresses as ip -j addr shows',
    (_, found, ip) => {
      const { facts } = found();
      expect(facts.source).toBe('sysfs');
      expect(facts.fallbackReason).toMatch(/D-Bus unreachable/);
      if (facts.links.length === 0) {
        expect(facts.fallbackReason).toMatch(/another network namespace|lists no links/);
        expect(facts.addressFamilies).toEqual([]);
        return;
      }
      expect(facts.addressFamilies).toEqual(['ipv6']);
      expect(discoveredLinks(facts)).toEqual(observedLinks(ip(), ['inet6']));
    },
  );

  it('captures networkd files, with their summaries in facts, the same from either source', () => {
    expect(viaNetworkd.facts.fileSummaries['/etc/systemd/network/80-container-host0.network']).toMatchObject({
      'Match.Name': ['host0'],
      'Network.Address': [`${testbedTarget.targetAddress}/30`],
    });
    expect(Object.keys(viaNetworkd.facts.fileSummaries)).toEqual(Object.keys(viaNetworkd.config.files));
    expect(viaNetworkd.facts.problems).toEqual([]);
    expect(viaSysfs.config).toEqual(viaNetworkd.config);
    expect(viaSysfs.facts.fileSummaries).toEqual(viaNetworkd.facts.fileSummaries);
  });

  it('redacts WireGuard keys and records where', () => {
    const wg = viaNetworkd.config.files[WIREGUARD_NETDEV];
    expect(wg?.kind).toBe('netdev');
    expect(wg?.content).not.toContain(PRIVATE_KEY);
    expect(wg?.content).not.toContain(PRESHARED_KEY);
    expect(wg?.content).toContain(`PrivateKey=${REDACTED}`);
    expect(wg?.content).toContain(`PresharedKey=${REDACTED}`);
    expect(viaNetworkd.facts.fileSummaries[WIREGUARD_NETDEV]?.['NetDev.Kind']).toEqual(['wireguard']);
    expect(viaNetworkd.redactions).toEqual([
      {
        path: ['config', 'files', WIREGUARD_NETDEV, 'content'],
        reason: 'secret-named setting PrivateKey; secret-named setting PresharedKey',
      },
    ]);
  });
});
