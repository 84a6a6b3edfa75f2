import { describe, expect, it } from 'vitest';
import { parseProcNetDevNames } from './parse-proc-net-dev.js';

describe('parseProcNetDevNames', () => {
  it('lists the interfaces after the two header lines', () => {
    const text = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
 host0:     726       9    0    0    0     0          0         0        0       0    0    0    0     0       0          0
wg-long-name0:123 4 0 0 0 0 0 0 0 0 0 0 0 0 0 0
`;
    expect(parseProcNetDevNames(text)).toEqual(['lo', 'host0', 'wg-long-name0']);
  });

  it('skips malformed lines and returns nothing for empty input', () => {
    expect(parseProcNetDevNames('garbage\n  : 1 2 3\n')).toEqual([]);
    expect(parseProcNetDevNames('')).toEqual([]);
  });
});
