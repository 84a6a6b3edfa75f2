// Formats link-layer and IP addresses from the byte arrays networkd reports into the text `ip` prints.

const AF_INET = 2;
const AF_INET6 = 10;

/** `aa:bb:cc:dd:ee:ff`, or null for an absent or all-zero address (loopback has no real one). */
export function formatMac(bytes: readonly number[] | undefined): string | null {
  if (!bytes || bytes.length === 0 || bytes.every((byte) => byte === 0)) return null;
  return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join(':');
}

function formatIpv4(bytes: readonly number[]): string {
  return bytes.join('.');
}

/**
 * RFC 5952 text as glibc's inet_ntop writes it (and so `ip addr`): lower-case hex, the longest run of two
 * or more zero groups shortened to `::`, and an embedded IPv4 tail for IPv4-mapped and -compatible forms.
 */
function formatIpv6(bytes: readonly number[]): string {
  const words: number[] = [];
  for (let index = 0; index < 16; index += 2)
    words.push(((bytes[index] ?? 0) << 8) | (bytes[index + 1] ?? 0));
  let best = { base: -1, len: 0 };
  let run = { base: -1, len: 0 };
  words.forEach((word, index) => {
    if (word !== 0) {
      run = { base: -1, len: 0 };
      return;
    }
    run = run.base === -1 ? { base: index, len: 1 } : { base: run.base, len: run.len + 1 };
    if (run.len > best.len) best = { ...run };
  });
  if (best.len < 2) best = { base: -1, len: 0 };
  const embedsIpv4 = best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff));
  let out = '';
  for (let index = 0; index < 8; index++) {
    if (index === best.base) {
      out += '::';
      index += best.len - 1;
      continue;
    }
    if (out !== '' && !out.endsWith(':')) out += ':';
    if (embedsIpv4 && index === 6) return `${out}${formatIpv4(bytes.slice(12, 16))}`;
    out += (words[index] as number).toString(16);
  }
  return out;
}

/** `10.0.0.2`, `fe80::1`; undefined for a family or length that is not IPv4 or IPv6. */
export function formatIpAddress(family: number, bytes: readonly number[]): string | undefined {
  if (family === AF_INET && bytes.length === 4) return formatIpv4(bytes);
  if (family === AF_INET6 && bytes.length === 16) return formatIpv6(bytes);
  return undefined;
}
