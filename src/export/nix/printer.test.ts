import { describe, expect, it } from 'vitest';
import { nixAttributeName, nixAttributePath, nixExpression, nixString, printNix } from './printer.js';

describe('nixString', () => {
  it('escapes backslashes, quotes, interpolations and control characters', () => {
    expect(nixString('a\\b"c')).toBe('"a\\\\b\\"c"');
    expect(nixString('\u0024{x} $y $\u0024{z}')).toBe('"\\\u0024{x} $y $\\\u0024{z}"');
    expect(nixString('1\n2\r3\t4')).toBe('"1\\n2\\r3\\t4"');
  });

  it('keeps unicode and double-single-quotes as written', () => {
    expect(nixString("''ü😀")).toBe('"\'\'ü😀"');
  });
});

describe('nixAttributeName', () => {
  it('leaves identifiers bare and quotes everything else', () => {
    expect(nixAttributeName('hostName')).toBe('hostName');
    expect(nixAttributeName('accounts-daemon')).toBe('accounts-daemon');
    expect(nixAttributeName('vm.swappiness')).toBe('"vm.swappiness"');
    expect(nixAttributeName('foo@.service')).toBe('"foo@.service"');
    expect(nixAttributeName('7zip')).toBe('"7zip"');
    expect(nixAttributeName('')).toBe('""');
    expect(nixAttributeName('\u0024{x}')).toBe('"\\\u0024{x}"');
  });

  it('quotes keywords', () => {
    expect(nixAttributeName('rec')).toBe('"rec"');
    expect(nixAttributeName('or')).toBe('"or"');
  });

  it('joins a path', () => {
    expect(nixAttributePath(['boot', 'kernel', 'sysctl', 'vm.swappiness'])).toBe(
      'boot.kernel.sysctl."vm.swappiness"',
    );
  });
});

describe('printNix', () => {
  it('prints scalars', () => {
    expect(printNix(null)).toBe('null');
    expect(printNix(true)).toBe('true');
    expect(printNix(42)).toBe('42');
    expect(printNix(-3)).toBe('-3');
    expect(printNix(1.5)).toBe('1.5');
    expect(printNix(5e-7)).toBe('5.0e-7');
  });

  it('prints integers beyond 2^53 as floats with the dot Nix needs, and refuses NaN and infinities', () => {
    expect(printNix(1e21)).toBe('1.0e+21');
    expect(printNix(2 ** 60)).toBe('1152921504606847000.0');
    expect(() => printNix(Number.NaN)).toThrow(/no literal/);
    expect(() => printNix(Number.POSITIVE_INFINITY)).toThrow(/no literal/);
  });

  it('prints sets sorted by name and lists in order, indented', () => {
    expect(printNix({ b: [1, 'x'], a: { 'c.d': false } })).toBe(
      '{\n  a = {\n    "c.d" = false;\n  };\n  b = [\n    1\n    "x"\n  ];\n}',
    );
    expect(printNix([])).toBe('[ ]');
    expect(printNix({})).toBe('{ }');
  });

  it('prints expressions raw, parenthesised in lists when they are applications', () => {
    expect(printNix([nixExpression('pkgs.vim'), nixExpression('f x'), -1])).toBe(
      '[\n  pkgs.vim\n  (f x)\n  (-1)\n]',
    );
  });

  it('prints captured data that looks like an expression as data, never raw', () => {
    expect(printNix({ nixExpression: 'builtins.abort "x"' })).toBe(
      '{\n  nixExpression = "builtins.abort \\"x\\"";\n}',
    );
  });

  it('keeps an attribute named __proto__', () => {
    expect(printNix(JSON.parse('{"__proto__": "x"}'))).toBe('{\n  __proto__ = "x";\n}');
  });
});
