import { describe, expect, it } from 'vitest';
import { evaluateShellAssignments, quoteShellWord } from './shell-assignments.js';

const evaluated = (text: string, name: string) => evaluateShellAssignments(text).values.get(name);

describe('evaluateShellAssignments', () => {
  it('evaluates quotes and escapes as sh does', () => {
    expect(evaluated('A="quiet splash"\n', 'A')).toBe('quiet splash');
    expect(evaluated('A=\'a "b" $HOME \\n\'\n', 'A')).toBe('a "b" $HOME \\n');
    expect(evaluated('A="x=\\"a b\\" \\$y \\\\ \\z"\n', 'A')).toBe('x="a b" $y \\ \\z');
    expect(evaluated('A=one\\ two"three"\'four\'\n', 'A')).toBe('one twothreefour');
    expect(evaluated('A="first\\\nsecond"\n', 'A')).toBe('firstsecond');
    expect(evaluated('A="multi\nline"\n', 'A')).toBe('multi\nline');
    expect(evaluated('export A=1 # comment\n', 'A')).toBe('1');
    expect(evaluated('A=a#b\n', 'A')).toBe('a#b');
  });

  it('lets later assignments win and expands earlier ones', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax under test, not a template
    const text = 'A="x"\nB="$A y"\nA="${A}z"; C=$A$B\nA=1 B=$A\n';
    const { values, assignments, problems } = evaluateShellAssignments(text);
    expect(Object.fromEntries(values)).toEqual({ A: '1', B: '1', C: 'xzx y' });
    expect(assignments.map(({ name, start, end }) => [name, text.slice(start, end)])).toEqual([
      ['A', 'A="x"'],
      ['B', 'B="$A y"'],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax under test, not a template
      ['A', 'A="${A}z"'],
      ['C', 'C=$A$B'],
      ['A', 'A=1'],
      ['B', 'B=$A'],
    ]);
    expect(problems).toEqual([]);
  });

  it('starts from given values, as a sourced drop-in does', () => {
    const { values } = evaluateShellAssignments('B="$A more"\n', new Map([['A', 'base']]));
    expect(values.get('B')).toBe('base more');
  });

  it('runs nothing: commands and substitutions are reported and count as empty', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell syntax under test, not a template
    const text = 'A="$(cat /etc/x) `id` ${B:-x} $1"\nrm -rf /\nC=1 some-command\nD=ok\n';
    const { values, problems } = evaluateShellAssignments(text);
    expect(values.get('A')).toBe('   ');
    expect(values.has('C')).toBe(false);
    expect(values.get('D')).toBe('ok');
    expect(problems.map(({ line, reason }) => [line, reason.split(':')[0]])).toEqual([
      [1, 'command substitution and special parameters are not evaluated; they count as empty'],
      [1, 'command substitution is not evaluated; it counts as empty'],
      [
        1,
        'parameter expansion with an operator (a default, a length, a pattern) is not evaluated; it counts as empty',
      ],
      [1, 'command substitution and special parameters are not evaluated; they count as empty'],
      [2, 'not a plain assignment'],
      [3, 'not a plain assignment'],
    ]);
    expect(problems[4]?.text).toBe('rm -rf /');
  });

  it('reports unterminated quotes', () => {
    const { values, problems } = evaluateShellAssignments('A="open\n');
    expect(values.get('A')).toBe('open\n');
    expect(problems.map((problem) => problem.reason)).toEqual(['unterminated double quote']);
  });
});

describe('quoteShellWord', () => {
  it('quotes so that sh gives the value back', () => {
    const value = 'quiet foo="a b" $HOME `id` back\\slash';
    const quoted = quoteShellWord(value);
    expect(quoted).toBe('"quiet foo=\\"a b\\" \\$HOME \\`id\\` back\\\\slash"');
    expect(evaluated(`A=${quoted}\n`, 'A')).toBe(value);
  });
});
