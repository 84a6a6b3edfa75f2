import { describe, expect, it } from 'vitest';
import { parseSingleType } from './service-signature.js';
import { inferVariantSignature, TypedValue, toWireValue, type VariantFactory } from './service-values.js';

/** Variants as plain records, so expectations read as the wire would. */
const variant: VariantFactory = (signature, value) => ({ variant: signature, value });
const wire = (type: string, value: unknown) => toWireValue(parseSingleType(type), value, 'reply', variant);

describe('toWireValue', () => {
  it('passes strings, booleans and 32-bit integers through', () => {
    expect(wire('s', 'br0')).toBe('br0');
    expect(wire('b', false)).toBe(false);
    expect(wire('u', 4_000_000_000)).toBe(4_000_000_000);
    expect(wire('i', -5)).toBe(-5);
    expect(wire('y', 255n)).toBe(255);
  });

  it('gives 64-bit integers as bigints, from numbers, bigints or decimal strings', () => {
    expect(wire('t', 7)).toBe(7n);
    expect(wire('x', -(2n ** 63n))).toBe(-(2n ** 63n));
    expect(wire('t', '18446744073709551615')).toBe(18446744073709551615n);
  });

  it('builds arrays, structs, byte arrays and dicts', () => {
    expect(wire('as', ['a', 'b'])).toEqual(['a', 'b']);
    expect(wire('(sb)', ['x', true])).toEqual(['x', true]);
    expect(wire('ay', [1, 2])).toEqual(Buffer.from([1, 2]));
    expect(wire('a{st}', new Map([['n', 1]]))).toEqual({ n: 1n });
  });

  it('builds variants from plain values: string→s, boolean→b, integer→x, fraction→d, strings→as, record→a{sv}', () => {
    expect(
      wire('a{sv}', {
        name: 'br0',
        up: true,
        ports: 3,
        load: 0.5,
        tags: ['a'],
        mixed: [1, 'x'],
        nested: { n: 1 },
      }),
    ).toEqual({
      name: { variant: 's', value: 'br0' },
      up: { variant: 'b', value: true },
      ports: { variant: 'x', value: 3n },
      load: { variant: 'd', value: 0.5 },
      tags: { variant: 'as', value: ['a'] },
      mixed: {
        variant: 'av',
        value: [
          { variant: 'x', value: 1n },
          { variant: 's', value: 'x' },
        ],
      },
      nested: { variant: 'a{sv}', value: { n: { variant: 'x', value: 1n } } },
    });
  });

  it('uses the type a TypedValue names', () => {
    expect(wire('v', new TypedValue('u', 7))).toEqual({ variant: 'u', value: 7 });
    expect(inferVariantSignature(2n ** 63n, 'reply')).toBe('t');
  });

  it.each([
    ['s', 5, 'reply: expected a string, got number 5'],
    ['b', 'yes', 'reply: expected a boolean, got the string "yes"'],
    ['u', -1, "reply: -1 is outside the range of type 'u' (0..4294967295)"],
    ['i', 1.5, 'reply: expected an integer (i), got number 1.5'],
    ['as', ['a', 3], 'reply[1]: expected a string, got number 3'],
    ['(ss)', ['a'], "reply: struct '(ss)' has 2 members, got 1"],
    ['a{sv}', { bad: null }, 'reply["bad"]: null has no D-Bus type to send it as a variant'],
    ['o', 'not/a/path', 'reply: "not/a/path" is not a valid object path'],
    ['s', 'a\0b', 'reply: strings cannot contain NUL characters'],
    ['a{ss}', ['x'], 'reply: expected a record or a Map, got an array'],
  ])('refuses %s from %j, naming where', (type, value, message) => {
    expect(() => wire(type, value)).toThrow(message);
  });
});
