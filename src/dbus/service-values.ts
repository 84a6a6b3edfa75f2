// Turns the plain values service handlers return (strings, numbers, bigints, arrays, records) into what the
// D-Bus library marshals for a declared type, with variants built from the values themselves, and a clear
// error naming the argument when a value does not fit its type.
import { isObjectPath } from './service-names.js';
import {
  isBasicType,
  parseSingleType,
  type SignatureType,
  unsupportedTypeReason,
} from './service-signature.js';

/** Builds the library's variant object; injected so this module stays free of the library. */
export type VariantFactory = (signature: string, value: unknown) => unknown;

/** A value with an explicit D-Bus type, for a variant that must carry e.g. `u` rather than the inferred `x`. */
export class TypedValue {
  constructor(
    readonly signature: string,
    readonly value: unknown,
  ) {}
}

export class ValueTypeError extends Error {
  constructor(where: string, problem: string) {
    super(`${where}: ${problem}`);
    this.name = 'ValueTypeError';
  }
}

const INTEGER_RANGES: Record<string, readonly [bigint, bigint]> = {
  y: [0n, 0xffn],
  n: [-0x8000n, 0x7fffn],
  q: [0n, 0xffffn],
  i: [-0x80000000n, 0x7fffffffn],
  u: [0n, 0xffffffffn],
  x: [-(2n ** 63n), 2n ** 63n - 1n],
  t: [0n, 2n ** 64n - 1n],
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return `${typeof value} ${String(value)}`;
  return typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The type a variant gets for a plain value: string→s, boolean→b, integer→x, bigint→x or t, array→as or av, record→a{sv}. */
export function inferVariantSignature(value: unknown, where: string): string {
  if (value instanceof TypedValue) return value.signature;
  switch (typeof value) {
    case 'string':
      return 's';
    case 'boolean':
      return 'b';
    case 'number':
      if (Number.isSafeInteger(value)) return 'x';
      if (Number.isFinite(value)) return 'd';
      break;
    case 'bigint':
      return value <= (INTEGER_RANGES.x as readonly [bigint, bigint])[1] ? 'x' : 't';
  }
  if (value instanceof Uint8Array) return 'ay';
  if (Array.isArray(value)) return value.every((item) => typeof item === 'string') ? 'as' : 'av';
  if (value instanceof Map || isRecord(value)) return 'a{sv}';
  throw new ValueTypeError(where, `${describe(value)} has no D-Bus type to send it as a variant`);
}

function integerOf(type: string, value: unknown, where: string): bigint {
  let integer: bigint | undefined;
  if (typeof value === 'bigint') integer = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) integer = BigInt(value);
  // plainValue() gives 64-bit integers beyond 2^53 as decimal strings, so they come back the same way.
  else if ((type === 'x' || type === 't') && typeof value === 'string' && /^-?\d+$/.test(value))
    integer = BigInt(value);
  if (integer === undefined)
    throw new ValueTypeError(where, `expected an integer (${type}), got ${describe(value)}`);
  const [min, max] = INTEGER_RANGES[type] as readonly [bigint, bigint];
  if (integer < min || integer > max)
    throw new ValueTypeError(where, `${integer} is outside the range of type '${type}' (${min}..${max})`);
  return integer;
}

function basicValue(code: string, value: unknown, where: string): unknown {
  if (code in INTEGER_RANGES) {
    const integer = integerOf(code, value, where);
    return code === 'x' || code === 't' ? integer : Number(integer);
  }
  if (code === 'b') {
    if (typeof value !== 'boolean')
      throw new ValueTypeError(where, `expected a boolean, got ${describe(value)}`);
    return value;
  }
  if (code === 'd') {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new ValueTypeError(where, `expected a finite number, got ${describe(value)}`);
    return value;
  }
  if (typeof value !== 'string') throw new ValueTypeError(where, `expected a string, got ${describe(value)}`);
  if (value.includes('\0')) throw new ValueTypeError(where, 'strings cannot contain NUL characters');
  if (code === 'o' && !isObjectPath(value))
    throw new ValueTypeError(where, `${JSON.stringify(value)} is not a valid object path`);
  if (code === 'g') parseSignatureValue(value, where);
  return value;
}

function parseSignatureValue(value: string, where: string): void {
  try {
    parseSingleType(value);
  } catch (error) {
    throw new ValueTypeError(where, (error as Error).message);
  }
}

function entriesOf(value: unknown, where: string): [string, unknown][] {
  if (value instanceof Map) return [...value.entries()].map(([key, inner]) => [String(key), inner]);
  if (isRecord(value)) return Object.entries(value);
  throw new ValueTypeError(where, `expected a record or a Map, got ${describe(value)}`);
}

/** The library's form of `value` for the complete type `type`. */
export function toWireValue(
  type: SignatureType,
  value: unknown,
  where: string,
  makeVariant: VariantFactory,
): unknown {
  if (isBasicType(type.code)) return basicValue(type.code, value, where);
  if (type.code === 'v') {
    const signature = inferVariantSignature(value, where);
    const inner = value instanceof TypedValue ? value.value : value;
    const innerType = parseSingleType(signature);
    const reason = unsupportedTypeReason(innerType);
    if (reason) throw new ValueTypeError(where, reason);
    return makeVariant(signature, toWireValue(innerType, inner, where, makeVariant));
  }
  const first = type.children[0] as SignatureType;
  if (type.code === 'a' && first.code === '{') {
    const [keyType, valueType] = first.children as [SignatureType, SignatureType];
    const dict: Record<string, unknown> = {};
    for (const [key, inner] of entriesOf(value, where)) {
      basicValue(keyType.code, key, `${where} key ${JSON.stringify(key)}`);
      dict[key] = toWireValue(valueType, inner, `${where}[${JSON.stringify(key)}]`, makeVariant);
    }
    return dict;
  }
  if (type.code === 'a' && first.code === 'y') {
    if (value instanceof Uint8Array) return Buffer.from(value);
    if (Array.isArray(value))
      return Buffer.from(value.map((byte, index) => basicValue('y', byte, `${where}[${index}]`) as number));
    throw new ValueTypeError(where, `expected bytes (a Buffer or a number array), got ${describe(value)}`);
  }
  if (!Array.isArray(value))
    throw new ValueTypeError(where, `expected an array for '${type.text}', got ${describe(value)}`);
  if (type.code === 'a')
    return value.map((item, index) => toWireValue(first, item, `${where}[${index}]`, makeVariant));
  if (value.length !== type.children.length)
    throw new ValueTypeError(
      where,
      `struct '${type.text}' has ${type.children.length} members, got ${value.length}`,
    );
  return type.children.map((member, index) =>
    toWireValue(member, value[index], `${where}[${index}]`, makeVariant),
  );
}
