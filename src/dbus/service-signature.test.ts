import { describe, expect, it } from 'vitest';
import { parseSignature, parseSingleType, unsupportedTypeReason } from './service-signature.js';

const texts = (signature: string) => parseSignature(signature).map((type) => type.text);

describe('parseSignature', () => {
  it('splits a signature into its complete types', () => {
    expect(texts('sa{sv}as(ib)v')).toEqual(['s', 'a{sv}', 'as', '(ib)', 'v']);
    expect(texts('')).toEqual([]);
    expect(texts('aa{s(av)}')).toEqual(['aa{s(av)}']);
  });

  it('describes arrays, structs and dict entries by their children', () => {
    const [dict] = parseSignature('a{sas}');
    expect(dict?.children[0]?.code).toBe('{');
    expect(dict?.children[0]?.children.map((child) => child.text)).toEqual(['s', 'as']);
    expect(parseSingleType('(sxb)').children.map((child) => child.code)).toEqual(['s', 'x', 'b']);
  });

  it.each([
    ['a', 'unexpected end'],
    ['(s', "struct without closing ')'"],
    ['()', 'empty struct'],
    ['{sv}', 'dict entry outside an array'],
    ['a{vs}', "dict key 'v' is not a basic type"],
    ['a{sss}', "dict entry without closing '}'"],
    ['z', "unknown type code 'z'"],
    [`${'a'.repeat(33)}s`, 'arrays nested deeper than 32'],
    [`${'('.repeat(33)}s${')'.repeat(33)}`, 'structs nested deeper than 32'],
    ['s'.repeat(256), 'longer than 255 characters'],
  ])('rejects %j naming the problem', (signature, problem) => {
    expect(() => parseSignature(signature)).toThrow(problem);
    expect(() => parseSignature(signature)).toThrow(`invalid D-Bus signature '${signature}'`);
  });

  it('wants exactly one complete type for an argument', () => {
    expect(() => parseSingleType('ss')).toThrow('expected one complete type, found 2');
    expect(() => parseSingleType('')).toThrow('expected one complete type, found 0');
  });
});

describe('unsupportedTypeReason', () => {
  it('accepts what the host can marshal', () => {
    for (const type of ['s', 'a{sv}', 'a{oa{sv}}', '(sxat)', 'ay', 'v'])
      expect(unsupportedTypeReason(parseSingleType(type))).toBeUndefined();
  });

  it('refuses file descriptors and dict keys that are not strings, wherever they are nested', () => {
    expect(unsupportedTypeReason(parseSingleType('(sh)'))).toContain("type 'h'");
    expect(unsupportedTypeReason(parseSingleType('aa{us}'))).toContain("dict keys of type 'u'");
  });
});
