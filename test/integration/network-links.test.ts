// The network plugin on a real target: links from networkd's Describe() must match `ip -j addr` run
// inside the target, the sysfs fallback must never report another namespace's links, and networkd
// files must come back summarized with their keys redacted.
import { rm, writeFile } from 'node:fs/promises';
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
  addr_info: { local: string; prefixlen: number }[];
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

function observedLinks(ipAddr: IpLink[]) {
  return ipAddr
    .map((link) => ({
      index: link.ifindex,
      name: link.ifname,
      mtu: link.mtu,
      operState: link.operstate.toLowerCase(),
      mac: !link.address || /^[0:]+$/.test(link.address) ? null : link.address,
      addresses: link.addr_info.map((info) => `${info.local}/${info.prefixlen}`).sort(),
    }))
    .sort((a, b) => a.index - b.index);
}

describe('network plugin on a testbed target', () => {
  let viaNetworkd: Awaited<ReturnType<typeof discover>>;
  let viaSysfs: Awaited<ReturnType<typeof discover>>;
  let ipAddr: IpLink[];

  beforeAll(async () => {
    const netdev = `[NetDev]\nName=wgtest0\nKind=wireguard\n\n[WireGuard]\nPrivateKey=${PRIVATE_KEY}\nListenPort=51820\n\n[WireGuardPeer]\nPublicKey=xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\nPresharedKey=${PRESHARED_KEY}\nAllowedIPs=10.99.0.2/32\n`;
    // Written without reloading networkd, so the running target is not reconfigured.
    await writeFile(`${containerRoot(testbedTarget)}${WIREGUARD_NETDEV}`, netdev, { mode: 0o640 });
    viaNetworkd = await discover(machineFor(testbedTarget));
    const noBus = `unix:path=${TESTBED_DIR}/no-such-dir/system_bus_socket`;
    viaSysfs = await discover(new Machine({ busAddress: noBus, root: containerRoot(testbedTarget) }));
    ipAddr = JSON.parse(await execInTarget(testbedTarget, ['ip', '-j', 'addr'])) as IpLink[];
  });

  afterAll(async () => {
    await rm(`${containerRoot(testbedTarget)}${WIREGUARD_NETDEV}`, { force: true });
  });

  it('reads links from networkd that match ip -j addr inside the target', () => {
    expect(viaNetworkd.facts.source).toBe('networkd');
    expect(viaNetworkd.facts.fallbackReason).toBeUndefined();
    const discovered = viaNetworkd.facts.links.map((link) => ({
      index: link.index,
      name: link.name,
      mtu: link.mtu,
      operState: link.operState,
      mac: link.mac,
      addresses: [...(link.addresses ?? [])].sort(),
    }));
    expect(discovered).toEqual(observedLinks(ipAddr));
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

  it('falls back to sysfs without ever reporting links of another namespace', () => {
    expect(viaSysfs.facts.source).toBe('sysfs');
    expect(viaSysfs.facts.fallbackReason).toMatch(/D-Bus unreachable/);
    if (viaSysfs.facts.links.length === 0) {
      expect(viaSysfs.facts.fallbackReason).toMatch(/another network namespace|lists no links/);
      return;
    }
    const observed = observedLinks(ipAddr).map(({ addresses: _, ...link }) => link);
    const discovered = viaSysfs.facts.links.map(({ index, name, mtu, operState, mac }) => ({
      index,
      name,
      mtu,
      operState,
      mac,
    }));
    expect(discovered).toEqual(observed);
    expect(viaSysfs.facts.links.every((link) => link.addresses === null)).toBe(true);
  });

  it('captures networkd files with a summary, the same from either source', () => {
    const host0 = viaNetworkd.config.files['/etc/systemd/network/80-container-host0.network'];
    expect(host0?.summary).toMatchObject({
      'Match.Name': ['host0'],
      'Network.Address': [`${testbedTarget.targetAddress}/30`],
    });
    expect(viaSysfs.config).toEqual(viaNetworkd.config);
  });

  it('redacts WireGuard keys and records where', () => {
    const wg = viaNetworkd.config.files[WIREGUARD_NETDEV];
    expect(wg?.kind).toBe('netdev');
    expect(wg?.content).not.toContain(PRIVATE_KEY);
    expect(wg?.content).not.toContain(PRESHARED_KEY);
    expect(wg?.content).toContain(`PrivateKey=${REDACTED}`);
    expect(wg?.content).toContain(`PresharedKey=${REDACTED}`);
    expect(wg?.summary['NetDev.Kind']).toEqual(['wireguard']);
    expect(viaNetworkd.redactions).toEqual([
      {
        path: ['config', 'files', WIREGUARD_NETDEV, 'content'],
        reason: 'secret-named setting PrivateKey; secret-named setting PresharedKey',
      },
    ]);
  });
});
