import { describe, expect, it } from 'vitest';
import {
  mapEntries,
  namedUuid,
  optionalAtom,
  ovsMap,
  ovsSet,
  setAtoms,
  uuid,
  uuidOf,
  uuidSet,
} from './datum.js';

describe('OVSDB datum encoding', () => {
  it('builds sets, maps and uuid references as RFC 7047 spells them', () => {
    expect(ovsSet([])).toEqual(['set', []]);
    expect(ovsSet([5])).toBe(5);
    expect(ovsSet([1, 2])).toEqual(['set', [1, 2]]);
    expect(ovsMap({ a: '1', 'b c': 'x' })).toEqual([
      'map',
      [
        ['a', '1'],
        ['b c', 'x'],
      ],
    ]);
    expect(uuid('0f6b5c8e-0000-4000-8000-000000000001')).toEqual([
      'uuid',
      '0f6b5c8e-0000-4000-8000-000000000001',
    ]);
    expect(namedUuid('row1')).toEqual(['named-uuid', 'row1']);
  });

  it('reads sets whether bare, empty or full', () => {
    expect(setAtoms(['set', []])).toEqual([]);
    expect(setAtoms(7)).toEqual([7]);
    expect(setAtoms(['set', ['a', 'b']])).toEqual(['a', 'b']);
    expect(setAtoms(undefined)).toEqual([]);
    expect(optionalAtom(['set', []])).toBeUndefined();
    expect(optionalAtom('secure')).toBe('secure');
  });

  it('reads maps and uuid references', () => {
    expect(
      mapEntries([
        'map',
        [
          ['k', 'v'],
          ['n', 1],
        ],
      ]),
    ).toEqual({ k: 'v', n: '1' });
    expect(mapEntries(['set', []])).toEqual({});
    expect(uuidOf(['uuid', 'u1'])).toBe('u1');
    expect(uuidOf('u1')).toBeUndefined();
    expect(
      uuidSet([
        'set',
        [
          ['uuid', 'a'],
          ['uuid', 'b'],
        ],
      ]),
    ).toEqual(['a', 'b']);
    expect(uuidSet(['uuid', 'a'])).toEqual(['a']);
    expect(uuidSet(['set', []])).toEqual([]);
  });
});
