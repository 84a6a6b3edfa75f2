import { Variant } from 'dbus-next';
import { describe, expect, it } from 'vitest';
import { plainValue } from './values.js';

describe('plainValue', () => {
  it('unwraps nested variants inside dictionaries and arrays', () => {
    const wire = { Names: new Variant('as', ['a', 'b']), Nested: new Variant('v', new Variant('u', 7)) };
    expect(plainValue([wire])).toEqual([{ Names: ['a', 'b'], Nested: 7 }]);
  });

  it('turns safe 64-bit integers into numbers and larger ones into decimal strings', () => {
    expect(plainValue(42n)).toBe(42);
    expect(plainValue(18446744073709551615n)).toBe('18446744073709551615');
  });

  it('turns byte buffers into arrays of numbers', () => {
    expect(plainValue(Buffer.from([1, 2]))).toEqual([1, 2]);
  });
});
