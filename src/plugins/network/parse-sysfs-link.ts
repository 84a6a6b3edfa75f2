// Turns the attribute files of one /sys/class/net/NAME directory into a link (the fallback without networkd).
import type { NetworkLink } from './schema.js';

/** ARPHRD_* numbers (linux/if_arp.h) under the names networkd and `ip` use for them. */
const ARPHRD_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'ether'],
  [24, 'ieee1394'],
  [32, 'infiniband'],
  [280, 'can'],
  [512, 'ppp'],
  [519, 'rawip'],
  [768, 'tunnel'],
  [769, 'tunnel6'],
  [772, 'loopback'],
  [776, 'sit'],
  [778, 'ipgre'],
  [801, 'ieee80211'],
  [803, 'ieee80211_radiotap'],
  [804, 'ieee802154'],
  [823, 'ip6gre'],
  [825, '6lowpan'],
  [65534, 'none'],
  [65535, 'void'],
]);

/** Raw contents of the attribute files (undefined when a file is missing). */
export interface SysfsLinkFiles {
  name: string;
  ifindex?: string;
  type?: string;
  address?: string;
  mtu?: string;
  operstate?: string;
  uevent?: string;
  /** Target of the device/driver symlink. */
  driverLink?: string;
}

export function arphrdName(type: number): string {
  return ARPHRD_NAMES.get(type) ?? `arphrd-${type}`;
}

function ueventValue(uevent: string | undefined, key: string): string | undefined {
  const line = uevent?.split('\n').find((candidate) => candidate.startsWith(`${key}=`));
  return line?.slice(key.length + 1).trim() || undefined;
}

function integer(text: string | undefined): number | undefined {
  const trimmed = text?.trim();
  if (!trimmed || !/^\d+$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** The link, or undefined when the directory lacks an interface index (not a network device). */
export function parseSysfsLink(files: SysfsLinkFiles): NetworkLink | undefined {
  const index = integer(files.ifindex);
  if (index === undefined || index === 0) return undefined;
  const type = integer(files.type);
  const mac = files.address?.trim().toLowerCase() ?? '';
  return {
    index,
    name: files.name,
    type: type === undefined ? 'unknown' : arphrdName(type),
    // DEVTYPE is set only for some kinds (bridge, vlan, bond, wlan, wireguard …).
    kind: ueventValue(files.uevent, 'DEVTYPE') ?? null,
    driver: files.driverLink?.split('/').filter(Boolean).at(-1) ?? null,
    mac: mac === '' || /^[0:]+$/.test(mac) ? null : mac,
    mtu: integer(files.mtu) ?? 0,
    operState: files.operstate?.trim() || 'unknown',
    addresses: null,
    networkd: null,
  };
}
