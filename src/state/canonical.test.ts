import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalObjectOf, hashOf, sha256Hex } from './canonical.js';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('keeps array order and encodes undefined array items as null', () => {
    expect(canonicalJson([3, undefined, 'x'])).toBe('[3,null,"x"]');
  });

  it('escapes strings exactly as JSON does', () => {
    expect(canonicalJson({ 'k"ey': 'line\nbreak ☃' })).toBe('{"k\\"ey":"line\\nbreak ☃"}');
  });

  it('refuses non-finite numbers rather than writing invalid JSON', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/NaN/);
  });
});

describe('hashOf', () => {
  it('gives equal hashes for objects that differ only in key order', () => {
    expect(hashOf({ a: 1, b: [1, 2] })).toBe(hashOf({ b: [1, 2], a: 1 }));
  });

  it('gives different hashes when a value changes', () => {
    expect(hashOf({ a: 1 })).not.toBe(hashOf({ a: 2 }));
  });

  it('is the SHA-256 of the canonical text', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hashOf({})).toBe(sha256Hex('{}'));
  });
});

describe('canonicalObjectOf', () => {
  it('equals canonicalJson of the object whose members it is given as texts', () => {
    const value = { zeta: [1, { b: 2, a: 1 }], alpha: { y: 'x' } };
    const texts = Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, canonicalJson(inner)]),
    );
    expect(canonicalObjectOf(texts)).toBe(canonicalJson(value));
  });
});
