// D-Bus type signatures as the services op-dbus exports declare them: parsed into single complete types and
// checked against the specification's grammar before anything is exported or marshalled.

export interface SignatureType {
  /** The type code: a basic type, `v`, `a`, `(` for a struct or `{` for a dict entry. */
  code: string;
  /** This complete type as it is written in a signature (`a{sv}`, `(si)`, `s`). */
  text: string;
  /** Element type of an array, members of a struct, key and value of a dict entry. */
  children: SignatureType[];
}

const BASIC_TYPES = 'ybnqiuxtdsogh';
const STRING_KEYED = new Set(['s', 'o', 'g']);
const MAX_SIGNATURE_LENGTH = 255;
/** The specification's limit on nested arrays and on nested structs (counted separately). */
const MAX_NESTING = 32;

export class SignatureError extends Error {
  constructor(signature: string, problem: string) {
    super(`invalid D-Bus signature '${signature}': ${problem}`);
    this.name = 'SignatureError';
  }
}

export function isBasicType(code: string): boolean {
  return code.length === 1 && BASIC_TYPES.includes(code);
}

/** Splits a signature into its single complete types; throws a SignatureError naming the problem. */
export function parseSignature(signature: string): SignatureType[] {
  if (signature.length > MAX_SIGNATURE_LENGTH)
    throw new SignatureError(signature, `longer than ${MAX_SIGNATURE_LENGTH} characters`);
  let position = 0;
  const fail = (problem: string): never => {
    throw new SignatureError(signature, `${problem} at position ${position}`);
  };

  const parseOne = (arrayDepth: number, structDepth: number): SignatureType => {
    const start = position;
    const code = signature[position++];
    if (code === undefined) return fail('unexpected end');
    const finish = (children: SignatureType[]): SignatureType => ({
      code,
      text: signature.slice(start, position),
      children,
    });
    if (isBasicType(code) || code === 'v') return finish([]);
    if (code === 'a') {
      if (arrayDepth >= MAX_NESTING) fail(`arrays nested deeper than ${MAX_NESTING}`);
      if (signature[position] === '{') return finish([parseDictEntry(arrayDepth + 1, structDepth)]);
      return finish([parseOne(arrayDepth + 1, structDepth)]);
    }
    if (code === '(') {
      if (structDepth >= MAX_NESTING) fail(`structs nested deeper than ${MAX_NESTING}`);
      const members: SignatureType[] = [];
      while (signature[position] !== ')') {
        if (position >= signature.length) fail("struct without closing ')'");
        members.push(parseOne(arrayDepth, structDepth + 1));
      }
      position++;
      if (members.length === 0) fail('empty struct');
      return finish(members);
    }
    if (code === '{') return fail('dict entry outside an array');
    return fail(`unknown type code '${code}'`);
  };

  const parseDictEntry = (arrayDepth: number, structDepth: number): SignatureType => {
    const start = position++;
    const key = parseOne(arrayDepth, structDepth + 1);
    if (!isBasicType(key.code)) fail(`dict key '${key.text}' is not a basic type`);
    const value = parseOne(arrayDepth, structDepth + 1);
    if (signature[position] !== '}') fail("dict entry without closing '}' after its key and value");
    position++;
    return { code: '{', text: signature.slice(start, position), children: [key, value] };
  };

  const types: SignatureType[] = [];
  while (position < signature.length) types.push(parseOne(0, 0));
  return types;
}

/** Parses a signature that must hold exactly one complete type (an argument's or a property's type). */
export function parseSingleType(signature: string): SignatureType {
  const types = parseSignature(signature);
  const [only] = types;
  if (only === undefined || types.length !== 1)
    throw new SignatureError(signature, `expected one complete type, found ${types.length}`);
  return only;
}

/**
 * Why a declared type cannot be sent by this host, or undefined when it can: file descriptors are not
 * passed (dbus-next has no fd passing without its native module), and the library marshals dict keys only
 * from strings.
 */
export function unsupportedTypeReason(type: SignatureType): string | undefined {
  if (type.code === 'h') return "type 'h' (file descriptor) is not supported";
  if (type.code === '{' && !STRING_KEYED.has(type.children[0]?.code ?? ''))
    return `dict keys of type '${type.children[0]?.text}' are not supported (use s, o or g)`;
  for (const child of type.children) {
    const reason = unsupportedTypeReason(child);
    if (reason) return reason;
  }
  return undefined;
}
