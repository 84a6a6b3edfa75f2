import { describe, expect, it } from 'vitest';
import { quoteYamlString, toYaml, yamlComment } from './yaml.js';

describe('quoteYamlString', () => {
  it('quotes text that would otherwise be a boolean, a number, null, an alias, a tag or a comment', () => {
    for (const text of [
      'yes',
      'no',
      'on',
      'true',
      'null',
      '~',
      '0644',
      '1e3',
      '*ref',
      '&anchor',
      '!tag',
      '# x',
      '- item',
      'a: b',
      '',
      ' lead',
    ])
      expect(quoteYamlString(text)).toBe(`"${text}"`);
  });

  it('escapes quotes, backslashes and control characters, and keeps printable unicode', () => {
    expect(quoteYamlString('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
    expect(quoteYamlString('a\nb\tc\rd\0e\x1bf\x7fg')).toBe('"a\\nb\\tc\\rd\\0e\\u001Bf\\u007Fg"');
    expect(quoteYamlString('zażółć 日本 🚀')).toBe('"zażółć 日本 🚀"');
  });

  it('escapes the characters YAML 1.1 reads as line breaks or drops (NEL, LS, PS, BOM)', () => {
    expect(quoteYamlString('a\x85b\u2028c\u2029d\ufeffe')).toBe('"a\\u0085b\\u2028c\\u2029d\\uFEFFe"');
  });

  it('turns a lone surrogate, which has no UTF-8 form, into U+FFFD', () => {
    expect(quoteYamlString('a\ud800b')).toBe('"a\\uFFFDb"');
  });
});

describe('toYaml', () => {
  it('prints maps, lists, nested lists of maps, empty collections and scalars', () => {
    const value = [{ name: 'x', on: true, list: ['a', 1], nested: [{ a: null }], empty: [], none: {} }];
    expect(toYaml(value)).toBe(
      [
        '- name: "x"',
        '  "on": true',
        '  list:',
        '    - "a"',
        '    - 1',
        '  nested:',
        '    - a: null',
        '  empty: []',
        '  none: {}',
        '',
      ].join('\n'),
    );
  });

  it('prints multi-line text as a block literal whose chomping keeps the trailing newlines exactly', () => {
    expect(toYaml({ c: 'a\nb\n' })).toBe('c: |\n  a\n  b\n');
    expect(toYaml({ c: 'a\nb' })).toBe('c: |-\n  a\n  b\n');
    expect(toYaml({ c: 'a\n\n\n' })).toBe('c: |+\n  a\n\n\n');
    expect(toYaml({ c: 'a\n\nb\n', d: 1 })).toBe('c: |\n  a\n\n  b\nd: 1\n');
  });

  it('gives the indentation when the first line starts with a blank', () => {
    expect(toYaml({ c: '  indented\nnext\n' })).toBe('c: |2\n    indented\n  next\n');
    expect(toYaml({ c: '\n\tx\n' })).toBe('c: |2\n\n  \tx\n');
  });

  it('falls back to a quoted string for text a block literal cannot hold', () => {
    expect(toYaml({ c: 'a\r\nb\n' })).toBe('c: "a\\r\\nb\\n"\n');
    expect(toYaml({ c: '\n\n' })).toBe('c: "\\n\\n"\n');
    expect(toYaml({ c: 'a\u2028b\n' })).toBe('c: "a\\u2028b\\n"\n');
  });

  it('puts the tag a string asks for before it, quoted or block', () => {
    const stringTag = (text: string) => (text.includes('{{') ? '!unsafe' : undefined);
    expect(toYaml({ a: '{{ x }}', b: '{{ y }}\n{{ z }}\n', c: 'plain' }, { stringTag })).toBe(
      'a: !unsafe "{{ x }}"\nb: !unsafe |\n  {{ y }}\n  {{ z }}\nc: "plain"\n',
    );
  });

  it('quotes keys that are not plain identifiers or that YAML 1.1 reads as booleans', () => {
    expect(toYaml({ 'a b': 1, 'ansible.builtin.copy': 2, y: 3, 'x:': 4 })).toBe(
      '"a b": 1\nansible.builtin.copy: 2\n"y": 3\n"x:": 4\n',
    );
  });

  it('refuses values JSON cannot hold', () => {
    expect(() => toYaml({ a: Number.NaN })).toThrow(/NaN/);
    expect(() => toYaml({ a: () => 1 })).toThrow(/function/);
  });
});

describe('yamlComment', () => {
  it('prefixes every line and shows control characters escaped', () => {
    expect(yamlComment('one\n\ntwo\x1b "q"')).toBe('# one\n#\n# two\\u001B "q"');
  });
});
