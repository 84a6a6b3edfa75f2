import { describe, expect, it } from 'vitest';
import { formatIpAddress, formatMac } from './format-address.js';

const v6 = (text: string): number[] => {
  const [head = '', tail] = text.split('::');
  const groups = (part: string) =>
    part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const words = [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  return words.flatMap((word) => [word >> 8, word & 0xff]);
};

describe('formatMac', () => {
  it('prints lower-case colon-separated hex', () => {
    expect(formatMac([26, 29, 100, 138, 22, 5])).toBe('1a:1d:64:8a:16:05');
  });

  it('is null for missing, empty or all-zero addresses', () => {
    expect(formatMac(undefined)).toBeNull();
    expect(formatMac([])).toBeNull();
    expect(formatMac([0, 0, 0, 0, 0, 0])).toBeNull();
  });
});

describe('formatIpAddress', () => {
  it('prints IPv4 dotted quads', () => {
    expect(formatIpAddress(2, [10, 250, 1, 2])).toBe('10.250.1.2');
    expect(formatIpAddress(2, [127, 0, 0, 1])).toBe('127.0.0.1');
  });

  it('shortens the longest zero run of IPv6 addresses, the first one on a tie', () => {
    expect(formatIpAddress(10, v6('::1'))).toBe('::1');
    expect(formatIpAddress(10, v6('::'))).toBe('::');
    expect(formatIpAddress(10, v6('fe80::181d:64ff:fe8a:1605'))).toBe('fe80::181d:64ff:fe8a:1605');
    expect(formatIpAddress(10, v6('2001:db8:0:0:1:0:0:1'))).toBe('2001:db8::1:0:0:1');
    expect(formatIpAddress(10, v6('2001:db8:0:1:1:1:1:1'))).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIpAddress(10, v6('2001:0:0:1:0:0:0:1'))).toBe('2001:0:0:1::1');
    expect(formatIpAddress(10, v6('1:0:0:2:0:0:0:3'))).toBe('1:0:0:2::3');
    expect(formatIpAddress(10, v6('0:0:1::'))).toBe('0:0:1::');
    expect(formatIpAddress(10, v6('ff02::0:0:1:2'))).toBe('ff02::1:2');
    expect(formatIpAddress(10, v6('1:2:3:4:5:6:7:0'))).toBe('1:2:3:4:5:6:7:0');
    expect(formatIpAddress(10, v6('1:2:3:4:5:6:0:0'))).toBe('1:2:3:4:5:6::');
  });

  it('writes embedded IPv4 tails as glibc does', () => {
    expect(formatIpAddress(10, [...Array(10).fill(0), 0xff, 0xff, 192, 0, 2, 1])).toBe('::ffff:192.0.2.1');
    expect(formatIpAddress(10, [...Array(12).fill(0), 192, 0, 2, 1])).toBe('::192.0.2.1');
    expect(formatIpAddress(10, v6('::2'))).toBe('::2');
    expect(formatIpAddress(10, v6('::ffff:0:102:304'))).toBe('::ffff:0:102:304');
  });

  it('rejects unknown families and wrong lengths', () => {
    expect(formatIpAddress(2, [10, 0, 0])).toBeUndefined();
    expect(formatIpAddress(10, [0, 0, 0, 1])).toBeUndefined();
    expect(formatIpAddress(17, [1, 2, 3, 4])).toBeUndefined();
  });
});
