// Evaluates the variable assignments of a shell-sourced settings file (/etc/default/grub) the way `.` in sh
// would — quotes, escapes, line continuations, `$VAR` and `${VAR}` of earlier assignments, later assignments
// winning — without running anything, and says where each assignment is so one can be rewritten in place.
import type { ConfProblem } from './conf-lines.js';

export interface ShellAssignment {
  name: string;
  /** Offsets of `NAME=value` in the text (an `export ` before it is not included). */
  start: number;
  end: number;
}

export interface ShellEvaluation {
  values: Map<string, string>;
  assignments: ShellAssignment[];
  problems: ConfProblem[];
}

const NAME_AND_EQUALS = /[A-Za-z_][A-Za-z0-9_]*=/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const EXPORT = /export[ \t]+/y;
const WORD_END = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);
/** Escapes that mean something inside double quotes; before any other character the backslash stays. */
const DOUBLE_QUOTE_ESCAPES = new Set(['$', '`', '"', '\\', '\n']);

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

class Evaluator {
  /** Variables as the statements so far left them. */
  private values: Map<string, string>;
  /** Variables seen by expansions: within a statement, its own earlier assignments count. */
  private scope: Map<string, string>;
  private readonly assignments: ShellAssignment[] = [];
  private readonly problems: ConfProblem[] = [];
  private at = 0;

  constructor(
    private readonly text: string,
    initial: ReadonlyMap<string, string>,
  ) {
    this.values = new Map(initial);
    this.scope = this.values;
  }

  private problem(offset: number, reason: string): void {
    const lineStart = this.text.lastIndexOf('\n', offset - 1) + 1;
    const lineEnd = this.text.indexOf('\n', offset);
    this.problems.push({
      line: this.text.slice(0, offset).split('\n').length,
      text: this.text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).trim(),
      reason,
    });
  }

  /** `$NAME` or `${NAME}`; anything the evaluator cannot do without running code expands to nothing. */
  private expansion(): string {
    const text = this.text;
    const start = this.at;
    this.at++;
    if (text[this.at] === '{') {
      const close = text.indexOf('}', this.at);
      const name = matchAt(NAME, text, this.at + 1);
      if (close !== -1 && name && this.at + 1 + name.length === close) {
        this.at = close + 1;
        return this.scope.get(name) ?? '';
      }
      this.problem(
        start,
        'parameter expansion with an operator (a default, a length, a pattern) is not evaluated; it counts as empty',
      );
      this.at = close === -1 ? text.length : close + 1;
      return '';
    }
    const name = matchAt(NAME, text, this.at);
    if (name) {
      this.at += name.length;
      return this.scope.get(name) ?? '';
    }
    if (text[this.at] === '(' || /[0-9?#@*!$-]/.test(text[this.at] ?? '')) {
      this.problem(
        start,
        'command substitution and special parameters are not evaluated; they count as empty',
      );
      this.skipTo(text[this.at] === '(' ? ')' : undefined);
      return '';
    }
    return '$';
  }

  private skipTo(close: string | undefined): void {
    if (close === undefined) {
      this.at++;
      return;
    }
    const end = this.text.indexOf(close, this.at);
    this.at = end === -1 ? this.text.length : end + 1;
  }

  private doubleQuoted(): string {
    const text = this.text;
    let out = '';
    this.at++;
    while (this.at < text.length && text[this.at] !== '"') {
      const char = text[this.at] as string;
      if (char === '\\' && DOUBLE_QUOTE_ESCAPES.has(text[this.at + 1] ?? '')) {
        if (text[this.at + 1] !== '\n') out += text[this.at + 1];
        this.at += 2;
      } else if (char === '$') out += this.expansion();
      else if (char === '`') {
        this.problem(this.at, 'command substitution is not evaluated; it counts as empty');
        this.at++;
        this.skipTo('`');
      } else {
        out += char;
        this.at++;
      }
    }
    if (this.at >= text.length) this.problem(text.length, 'unterminated double quote');
    this.at++;
    return out;
  }

  private word(): string {
    const text = this.text;
    let out = '';
    while (this.at < text.length && !WORD_END.has(text[this.at] as string)) {
      const char = text[this.at] as string;
      if (char === "'") {
        const close = text.indexOf("'", this.at + 1);
        if (close === -1) this.problem(this.at, 'unterminated single quote');
        out += text.slice(this.at + 1, close === -1 ? undefined : close);
        this.at = close === -1 ? text.length : close + 1;
      } else if (char === '"') out += this.doubleQuoted();
      else if (char === '\\') {
        if (text[this.at + 1] !== '\n') out += text[this.at + 1] ?? '';
        this.at += 2;
      } else if (char === '$') out += this.expansion();
      else if (char === '`') {
        this.problem(this.at, 'command substitution is not evaluated; it counts as empty');
        this.at++;
        this.skipTo('`');
      } else {
        out += char;
        this.at++;
      }
    }
    return out;
  }

  private skipBlanks(): void {
    while (this.text[this.at] === ' ' || this.text[this.at] === '\t') this.at++;
  }

  private skipLine(): void {
    const end = this.text.indexOf('\n', this.at);
    this.at = end === -1 ? this.text.length : end;
  }

  /** One statement: assignments (`A=1 B=$A` assigns both, left to right) or anything else, which is skipped. */
  private statement(): void {
    const start = this.at;
    this.at += matchAt(EXPORT, this.text, this.at)?.length ?? 0;
    const pending: ShellAssignment[] = [];
    this.scope = new Map(this.values);
    for (let head = matchAt(NAME_AND_EQUALS, this.text, this.at); head; ) {
      const name = head.slice(0, -1);
      const nameAt = this.at;
      this.at += head.length;
      this.scope.set(name, this.word());
      pending.push({ name, start: nameAt, end: this.at });
      this.skipBlanks();
      head = matchAt(NAME_AND_EQUALS, this.text, this.at);
    }
    const next = this.text[this.at];
    if (pending.length > 0 && (next === undefined || next === '\n' || next === ';' || next === '#')) {
      this.values = this.scope;
      this.assignments.push(...pending);
      if (next === '#') this.skipLine();
      return;
    }
    // `A=1 command` only sets A for the command; a command itself is never run.
    this.scope = this.values;
    this.problem(start, 'not a plain assignment: op-dbus does not run shell commands, the line is ignored');
    this.at = start;
    this.skipLine();
  }

  run(): ShellEvaluation {
    const text = this.text;
    while (this.at < text.length) {
      const char = text[this.at] as string;
      if (char === ' ' || char === '\t' || char === '\n' || char === ';' || char === '\r') this.at++;
      else if (char === '#') this.skipLine();
      else this.statement();
    }
    return { values: this.values, assignments: this.assignments, problems: this.problems };
  }
}

export function evaluateShellAssignments(
  text: string,
  initial: ReadonlyMap<string, string> = new Map(),
): ShellEvaluation {
  return new Evaluator(text, initial).run();
}

/** `value` as one double-quoted shell word: `$`, backquote, `"` and `\` escaped, everything else literal. */
export function quoteShellWord(value: string): string {
  return `"${value.replace(/[$`"\\]/g, '\\$&')}"`;
}
