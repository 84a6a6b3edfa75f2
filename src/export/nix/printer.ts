// Prints NixValues as Nix source: the one place that knows Nix string escaping and attribute-name quoting,
// so that every generated configuration reads back as exactly the values it was built from.
import { compareStrings } from '../../util/order.js';
import type { NixExpression, NixValue } from './contribution.js';

/** Expressions made by nixExpression(): a captured attribute set that merely has a key `nixExpression` is data. */
const expressions = new WeakSet<object>();

/** A raw Nix expression (`pkgs.vim`), printed as written. */
export function nixExpression(text: string): NixExpression {
  const expression = { nixExpression: text };
  expressions.add(expression);
  return expression;
}

export function isNixExpression(value: NixValue): value is NixExpression {
  return typeof value === 'object' && value !== null && expressions.has(value);
}

/**
 * A double-quoted Nix string. Inside "…" Nix treats `\` as an escape, `"` as the end and `${` as the start of
 * an interpolation, and reads `\n`, `\r`, `\t` as control characters; everything else (unicode included) is
 * literal. `$` is escaped only before `{`, since `\$` alone would also do but is noisier.
 */
export function nixString(text: string): string {
  let out = '"';
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (char === '\\') out += '\\\\';
    else if (char === '"') out += '\\"';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (char === '$' && text[index + 1] === '{') out += '\\$';
    else out += char;
  }
  return `${out}"`;
}

/** Nix identifiers: a letter or `_`, then letters, digits, `_`, `'` and `-`; keywords are not identifiers. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;
const KEYWORDS = new Set(['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit', 'or']);

/** An attribute name, quoted unless it is a plain identifier (`"vm.swappiness"`, `"foo@.service"`). */
export function nixAttributeName(name: string): string {
  return IDENTIFIER.test(name) && !KEYWORDS.has(name) ? name : nixString(name);
}

export function nixAttributePath(path: readonly string[]): string {
  return path.map(nixAttributeName).join('.');
}

function nixNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Nix has no literal for ${value}`);
  // Nix integers are 64-bit, but beyond 2^53 a JS number no longer names one integer: print those as floats.
  // A negative literal parses as unary minus applied to a positive one, which is the same value.
  if (Number.isSafeInteger(value)) return String(value);
  // Nix floats are doubles, and its float literal needs a dot before any exponent (`1.0e+21`, not `1e+21`).
  const [mantissa, exponent] = String(value).split('e') as [string, string | undefined];
  const dotted = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return exponent === undefined ? dotted : `${dotted}e${exponent}`;
}

const INDENT = '  ';

/** Nix source for `value`; nested values are indented from `indent`. Attribute sets print sorted by name. */
export function printNix(value: NixValue, indent = ''): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return nixNumber(value);
  if (typeof value === 'string') return nixString(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    const inner = indent + INDENT;
    // List elements are separated by blanks, so a function application must be parenthesised.
    const items = value.map((item) => `${inner}${parenthesised(item, inner)}`);
    return `[\n${items.join('\n')}\n${indent}]`;
  }
  if (isNixExpression(value)) return value.nixExpression;
  const names = Object.keys(value).sort(compareStrings);
  if (names.length === 0) return '{ }';
  const inner = indent + INDENT;
  const lines = names.map(
    (name) => `${inner}${nixAttributeName(name)} = ${printNix(value[name] as NixValue, inner)};`,
  );
  return `{\n${lines.join('\n')}\n${indent}}`;
}

function parenthesised(item: NixValue, indent: string): string {
  const text = printNix(item, indent);
  const needsParentheses =
    (isNixExpression(item) && !/^[A-Za-z0-9_.'"-]+$/.test(text)) || (typeof item === 'number' && item < 0);
  return needsParentheses ? `(${text})` : text;
}
