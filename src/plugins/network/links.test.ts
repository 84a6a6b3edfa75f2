import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RootFs } from '../../machine/root-fs.js';
import { readSysfsLinks } from './links.js';

let root: string;

async function put(path: string, text: string): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), text);
}

async function putLink(name: string, ifindex: number, type: number, address: string): Promise<void> {
  const dir = `/sys/class/net/${name}`;
  await put(`${dir}/ifindex`, `${ifindex}\n`);
  await put(`${dir}/type`, `${type}\n`);
  await put(`${dir}/address`, `${address}\n`);
  await put(`${dir}/mtu`, '1500\n');
  await put(`${dir}/operstate`, 'up\n');
}

const NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
  eth0:     726       9    0    0    0     0          0         0        0       0    0    0    0     0       0          0
`;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-sysfs-links-'));
  await putLink('lo', 1, 772, '00:00:00:00:00:00');
  await putLink('eth0', 2, 1, '02:FC:00:00:00:01');
  await put('/proc/1/net/dev', NET_DEV);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readSysfsLinks', () => {
  it("gives each link its IPv6 addresses from init's if_inet6, and says only IPv6 is covered", async () => {
    await put(
      '/proc/1/net/if_inet6',
      '00000000000000000000000000000001 01 80 10 80       lo\nfe8000000000000000fc00fffe000001 02 40 20 80     eth0\n',
    );
    const view = await readSysfsLinks(new RootFs(root));
    expect(view.problem).toBeUndefined();
    expect(view.addressFamilies).toEqual(['ipv6']);
    expect(view.links.map(({ index, name, mac, addresses }) => ({ index, name, mac, addresses }))).toEqual([
      { index: 1, name: 'lo', mac: null, addresses: ['::1/128'] },
      { index: 2, name: 'eth0', mac: '02:fc:00:00:00:01', addresses: ['fe80::fc:ff:fe00:1/64'] },
    ]);
  });

  it('gives an empty list to a link without IPv6 addresses', async () => {
    await put('/proc/1/net/if_inet6', '00000000000000000000000000000001 01 80 10 80       lo\n');
    const view = await readSysfsLinks(new RootFs(root));
    expect(view.links.find((link) => link.name === 'eth0')?.addresses).toEqual([]);
  });

  it('leaves addresses null and says why when if_inet6 is missing', async () => {
    const view = await readSysfsLinks(new RootFs(root));
    expect(view.addressFamilies).toEqual([]);
    expect(view.links.map((link) => link.addresses)).toEqual([null, null]);
    expect(view.problem).toMatch(/\/proc\/1\/net\/if_inet6 does not exist, so addresses are unknown/);
  });

  it('leaves addresses null and says why when if_inet6 has a line it does not understand', async () => {
    await put('/proc/1/net/if_inet6', 'something else entirely\n');
    const view = await readSysfsLinks(new RootFs(root));
    expect(view.links.map((link) => link.addresses)).toEqual([null, null]);
    expect(view.problem).toMatch(/unrecognised if_inet6 line 1/);
  });

  it("reports no links when sysfs shows another namespace's devices", async () => {
    await putLink('veth9', 9, 1, '02:00:00:00:00:09');
    await put('/proc/1/net/if_inet6', '');
    const view = await readSysfsLinks(new RootFs(root));
    expect(view).toEqual({
      links: [],
      addressFamilies: [],
      problem: expect.stringMatching(/belongs to another network namespace/),
    });
  });
});
