// Reads the machine's network links: from systemd-networkd over D-Bus (one Describe() call gives every
// link with its addresses and setup state), else from /sys/class/net under the machine root, with IPv6
// addresses from the procfs of the machine's init.
import type { DbusConnection } from '../../dbus/connection.js';
import type { RootFs } from '../../machine/root-fs.js';
import { parseNetworkdDescribe } from './parse-networkd-describe.js';
import { parseProcIfInet6 } from './parse-proc-if-inet6.js';
import { parseProcNetDevNames } from './parse-proc-net-dev.js';
import { parseSysfsLink, type SysfsLinkFiles } from './parse-sysfs-link.js';
import type { AddressFamily, NetworkLink, NetworkState } from './schema.js';

export const NETWORKD_BUS_NAME = 'org.freedesktop.network1';
export const NETWORKD_PATH = '/org/freedesktop/network1';
export const NETWORKD_MANAGER_IFACE = 'org.freedesktop.network1.Manager';
const SYSFS_NET = '/sys/class/net';
/** The devices of the network namespace of the machine's init, to check sysfs against. */
const INIT_NET_DEV = '/proc/1/net/dev';
/**
 * The IPv6 addresses of that namespace. IPv4 has no such list: /proc/net/fib_trie shows local addresses
 * without their link and only while the link is up, and /proc/net/route only the main table's routes, so
 * pairing them would guess the link and the prefix (wrong for noprefixroute, peer and down-link addresses).
 */
const INIT_IF_INET6 = '/proc/1/net/if_inet6';

export interface NetworkdView {
  links: NetworkLink[];
  overall: NetworkState;
}

/** Why networkd cannot be asked (it is not activated on purpose: discovery must not start services). */
export async function networkdUnavailableReason(bus: DbusConnection): Promise<string | undefined> {
  if ((await bus.nameOwner(NETWORKD_BUS_NAME)) !== undefined) return undefined;
  return `${NETWORKD_BUS_NAME} has no owner (systemd-networkd is not running)`;
}

export async function readNetworkdView(bus: DbusConnection): Promise<NetworkdView> {
  const [describe, properties] = await Promise.all([
    bus.callOne(NETWORKD_BUS_NAME, NETWORKD_PATH, NETWORKD_MANAGER_IFACE, 'Describe'),
    bus.getAllProperties(NETWORKD_BUS_NAME, NETWORKD_PATH, NETWORKD_MANAGER_IFACE),
  ]);
  const state = (name: string) =>
    typeof properties[name] === 'string' ? (properties[name] as string) : 'unknown';
  return {
    links: parseNetworkdDescribe(String(describe)),
    overall: {
      operationalState: state('OperationalState'),
      carrierState: state('CarrierState'),
      addressState: state('AddressState'),
      onlineState: state('OnlineState'),
    },
  };
}

/** Some sysfs attributes refuse reads (EINVAL) on some devices; such an attribute counts as absent. */
async function readAttribute(read: Promise<string | undefined>): Promise<string | undefined> {
  try {
    return await read;
  } catch {
    return undefined;
  }
}

async function readSysfsLinkFiles(files: RootFs, name: string): Promise<SysfsLinkFiles> {
  const dir = `${SYSFS_NET}/${name}`;
  const [ifindex, type, address, mtu, operstate, uevent, driverLink] = await Promise.all([
    readAttribute(files.readText(`${dir}/ifindex`)),
    readAttribute(files.readText(`${dir}/type`)),
    readAttribute(files.readText(`${dir}/address`)),
    readAttribute(files.readText(`${dir}/mtu`)),
    readAttribute(files.readText(`${dir}/operstate`)),
    readAttribute(files.readText(`${dir}/uevent`)),
    readAttribute(files.readLink(`${dir}/device/driver`)),
  ]);
  return { name, ifindex, type, address, mtu, operstate, uevent, driverLink };
}

export interface SysfsView {
  /** Sorted by index; `addresses` holds the IPv6 addresses, or null on each when if_inet6 is unreadable. */
  links: NetworkLink[];
  addressFamilies: AddressFamily[];
  /** Why the links or their addresses are missing. */
  problem?: string;
}

/** IPv6 addresses by interface index, or why there are none to give. */
async function readInitIpv6(files: RootFs): Promise<Map<number, string[]> | { problem: string }> {
  try {
    const text = await files.readText(INIT_IF_INET6);
    if (text === undefined) return { problem: `${INIT_IF_INET6} does not exist, so addresses are unknown` };
    return parseProcIfInet6(text);
  } catch (error) {
    return { problem: `${(error as Error).message}, so addresses are unknown` };
  }
}

/**
 * sysfs shows the links of the network namespace that mounted it, which need not be the machine's: a
 * container whose /sys is the host's (systemd-nspawn joining an existing namespace does this) would report
 * the host's links. So the names are checked against the devices of the machine's init, when visible.
 */
export async function readSysfsLinks(files: RootFs): Promise<SysfsView> {
  const [entries, initNetDev, ipv6] = await Promise.all([
    files.readDir(SYSFS_NET),
    readAttribute(files.readText(INIT_NET_DEV)),
    readInitIpv6(files),
  ]);
  const found = await Promise.all(
    entries.map(async (entry) => parseSysfsLink(await readSysfsLinkFiles(files, entry.name))),
  );
  const links = found
    .filter((link): link is NetworkLink => link !== undefined)
    .sort((a, b) => a.index - b.index);
  if (initNetDev !== undefined) {
    const expected = parseProcNetDevNames(initNetDev).sort();
    const seen = links.map((link) => link.name).sort();
    if (expected.join(' ') !== seen.join(' ')) {
      return {
        links: [],
        addressFamilies: [],
        problem: `${SYSFS_NET} lists ${seen.join(', ') || 'nothing'} but ${INIT_NET_DEV} lists ${expected.join(', ')}: sysfs under this root belongs to another network namespace, so link details are unavailable`,
      };
    }
  }
  if (links.length === 0) {
    return {
      links,
      addressFamilies: [],
      problem: `${SYSFS_NET} lists no links (is sysfs mounted under this root?)`,
    };
  }
  // Without /proc/1/net/dev nothing ties sysfs to the namespace whose if_inet6 was read.
  if ('problem' in ipv6 || initNetDev === undefined) {
    const problem =
      'problem' in ipv6 ? ipv6.problem : `${INIT_NET_DEV} is unreadable, so addresses are unknown`;
    return { links, addressFamilies: [], problem };
  }
  return {
    links: links.map((link) => ({ ...link, addresses: ipv6.get(link.index) ?? [] })),
    addressFamilies: ['ipv6'],
  };
}
