import { describe, expect, it } from 'vitest';
import { compareStrings, sortedRecord } from './order.js';

describe('ordering', () => {
  it('sorts by code units, not locale (uppercase before lowercase, no accents folding)', () => {
    expect(['b', 'B', 'a', 'é', 'e'].sort(compareStrings)).toEqual(['B', 'a', 'b', 'e', 'é']);
  });

  it('builds records whose keys come out sorted', () => {
    expect(
      Object.keys(
        sortedRecord(
          new Map([
            ['z', 1],
            ['a', 2],
            ['m', 3],
          ]),
        ),
      ),
    ).toEqual(['a', 'm', 'z']);
  });
});
