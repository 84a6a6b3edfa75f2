// Reads /proc/PID/net/if_inet6, the kernel's list of every IPv6 address in a network namespace with the
// link it is on: the sysfs fallback's source of addresses (procfs has no IPv4 counterpart).
import { compareStrings } from '../../util/order.js';
import { formatIpAddress } from './format-address.js';

const AF_INET6 = 10;
// addrconf.c writes "%pi6 %02x %02x %02x %02x %8s": address, ifindex, prefix length, scope, flags, name.
const LINE = /^([0-9a-f]{32})\s+([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+[0-9a-f]+\s+(\S+)$/;

/**
 * Interface index → its IPv6 addresses in CIDR notation as `ip addr` writes them, sorted (the kernel lists
 * them in hash order). Throws on a line it does not recognise, so a format change never drops an address.
 */
export function parseProcIfInet6(text: string): Map<number, string[]> {
  const byIndex = new Map<number, string[]>();
  for (const [number, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const match = LINE.exec(line.trim());
    if (!match) throw new Error(`unrecognised if_inet6 line ${number + 1}: ${JSON.stringify(line)}`);
    const [, hex, index, prefix] = match as unknown as [string, string, string, string];
    const bytes = (hex.match(/../g) as string[]).map((pair) => Number.parseInt(pair, 16));
    const cidr = `${formatIpAddress(AF_INET6, bytes)}/${Number.parseInt(prefix, 16)}`;
    const ifindex = Number.parseInt(index, 16);
    byIndex.set(ifindex, [...(byIndex.get(ifindex) ?? []), cidr]);
  }
  for (const addresses of byIndex.values()) addresses.sort(compareStrings);
  return byIndex;
}
