import { describe, expect, it } from 'vitest';
import { parseProcIfInet6 } from './parse-proc-if-inet6.js';

describe('parseProcIfInet6', () => {
  it('groups addresses by interface index, formatted and sorted as ip addr shows them', () => {
    // Taken from a host: hex interface indexes (0x37 = 55), names padded to 8 columns, tentative flags.
    const text = `00000000000000000000000000000001 01 80 10 80       lo
fe80000000000000909a2bfffe0f60b8 37 40 20 80 ve-opdbus-t2
fd000000000000000000000000000002 04 40 00 82     eth0
fe8000000000000000fc00fffe000001 04 40 20 80     eth0
20010db8000000000000ffff0a000001 104 30 00 40 wg-very-long0
`;
    expect(parseProcIfInet6(text)).toEqual(
      new Map([
        [1, ['::1/128']],
        [55, ['fe80::909a:2bff:fe0f:60b8/64']],
        [4, ['fd00::2/64', 'fe80::fc:ff:fe00:1/64']],
        [260, ['2001:db8::ffff:a00:1/48']],
      ]),
    );
  });

  it('returns nothing for an empty file (no IPv6 addresses in the namespace)', () => {
    expect(parseProcIfInet6('')).toEqual(new Map());
  });

  it('refuses a line it does not recognise rather than dropping an address', () => {
    expect(() => parseProcIfInet6('fe80::1 02 40 20 80 eth0\n')).toThrow(/unrecognised if_inet6 line 1/);
  });
});
