import { describe, expect, it } from 'vitest';
import { parseEnvFile } from './parse-env-file.js';

describe('parseEnvFile', () => {
  it('reads a machine-info file with comments, blank lines and odd whitespace', () => {
    const text = [
      '# written by hostnamectl',
      '',
      'PRETTY_HOSTNAME="Web server 01"',
      '   ; another comment style',
      'CHASSIS=vm  ',
      '  DEPLOYMENT = production',
      'LOCATION=\'rack 4, row "B"\'',
      '',
    ].join('\n');
    expect(parseEnvFile(text)).toEqual({
      values: {
        PRETTY_HOSTNAME: 'Web server 01',
        CHASSIS: 'vm',
        DEPLOYMENT: 'production',
        LOCATION: 'rack 4, row "B"',
      },
      problems: [],
    });
  });

  it('handles escapes inside double quotes and bare values', () => {
    const { values } = parseEnvFile('A="say \\"hi\\" for \\$5 \\n"\nB=one\\ two\nC=a"b c"d\n');
    expect(values).toEqual({ A: 'say "hi" for $5 \\n', B: 'one two', C: 'ab cd' });
  });

  it('joins backslash continuations and reports the starting line', () => {
    const { values, problems } = parseEnvFile('LONG=first \\\nsecond\nBAD LINE\n');
    expect(values).toEqual({ LONG: 'first second' });
    expect(problems).toEqual([{ line: 3, text: 'BAD LINE', reason: 'not a KEY=value assignment' }]);
  });

  it('accepts the export prefix of Debian shell snippets and CRLF line ends', () => {
    const { values } = parseEnvFile('export LANG=de_DE.UTF-8\r\nLC_TIME="en_GB.UTF-8"\r\n');
    expect(values).toEqual({ LANG: 'de_DE.UTF-8', LC_TIME: 'en_GB.UTF-8' });
  });

  it('lets a later assignment replace an earlier one', () => {
    expect(parseEnvFile('KEYMAP=us\nKEYMAP=de\n').values).toEqual({ KEYMAP: 'de' });
  });

  it('reports invalid names and unterminated quotes without dropping the good lines', () => {
    const { values, problems } = parseEnvFile(
      '1BAD=x\nOK=yes\nOPEN="never closed\nSINGLE=\'also open\n=empty\n',
    );
    expect(values).toEqual({ OK: 'yes' });
    expect(problems.map((p) => [p.line, p.reason])).toEqual([
      [1, 'invalid variable name "1BAD"'],
      [3, 'unterminated double quote'],
      [4, 'unterminated single quote'],
      [5, 'invalid variable name ""'],
    ]);
  });

  it('keeps empty values and returns nothing for empty input', () => {
    expect(parseEnvFile('ICON_NAME=\nPRETTY_HOSTNAME=""\n').values).toEqual({
      ICON_NAME: '',
      PRETTY_HOSTNAME: '',
    });
    expect(parseEnvFile('')).toEqual({ values: {}, problems: [] });
  });
});
