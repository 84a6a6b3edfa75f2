// Parses environment-style files (/etc/machine-info, /etc/locale.conf, /etc/os-release, /etc/default/*) the
// way systemd's env-file reader does: KEY=value lines, quoting, `#`/`;` comments, backslash continuations.

export interface EnvFileProblem {
  /** 1-based line number where the bad assignment starts. */
  line: number;
  text: string;
  reason: string;
}

export interface EnvFile {
  /** Assignments in the order first seen; a later assignment of the same key replaces the value. */
  values: Record<string, string>;
  problems: EnvFileProblem[];
}

const VALID_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Debian's /etc/default files are shell snippets and sometimes export their variables.
const EXPORT_PREFIX = /^export\s+/;
// Inside double quotes only these characters are escaped by a backslash, as in the shell.
const DOUBLE_QUOTE_ESCAPABLE = '"\\`$';

interface LogicalLine {
  number: number;
  text: string;
}

/** Joins lines ending in an unescaped backslash with the next one, remembering where each started. */
function logicalLines(text: string): LogicalLine[] {
  const physical = text.split(/\r?\n/);
  const lines: LogicalLine[] = [];
  let pending: LogicalLine | undefined;
  physical.forEach((raw, index) => {
    const current: LogicalLine = pending
      ? { number: pending.number, text: pending.text + raw }
      : { number: index + 1, text: raw };
    const trailing = /\\+$/.exec(current.text)?.[0].length ?? 0;
    if (trailing % 2 === 1 && !/^\s*[#;]/.test(current.text)) {
      pending = { number: current.number, text: current.text.slice(0, -1) };
      return;
    }
    pending = undefined;
    lines.push(current);
  });
  if (pending) lines.push(pending);
  return lines;
}

/** Unquotes a value: single quotes literal, double quotes with shell escapes, bare text with backslash escapes. */
function unquoteValue(raw: string): { value: string } | { error: string } {
  let value = '';
  let index = 0;
  while (index < raw.length) {
    const char = raw[index] as string;
    if (char === "'") {
      const end = raw.indexOf("'", index + 1);
      if (end === -1) return { error: 'unterminated single quote' };
      value += raw.slice(index + 1, end);
      index = end + 1;
    } else if (char === '"') {
      index++;
      let closed = false;
      while (index < raw.length) {
        const inner = raw[index] as string;
        if (inner === '"') {
          closed = true;
          index++;
          break;
        }
        if (
          inner === '\\' &&
          index + 1 < raw.length &&
          DOUBLE_QUOTE_ESCAPABLE.includes(raw[index + 1] as string)
        ) {
          value += raw[index + 1];
          index += 2;
        } else {
          value += inner;
          index++;
        }
      }
      if (!closed) return { error: 'unterminated double quote' };
    } else if (char === '\\' && index + 1 < raw.length) {
      value += raw[index + 1];
      index += 2;
    } else {
      value += char;
      index++;
    }
  }
  return { value };
}

export function parseEnvFile(text: string): EnvFile {
  const values: Record<string, string> = {};
  const problems: EnvFileProblem[] = [];
  for (const { number, text: line } of logicalLines(text)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const equals = trimmed.indexOf('=');
    if (equals === -1) {
      problems.push({ line: number, text: line, reason: 'not a KEY=value assignment' });
      continue;
    }
    const key = trimmed.slice(0, equals).trim().replace(EXPORT_PREFIX, '');
    if (!VALID_KEY.test(key)) {
      problems.push({ line: number, text: line, reason: `invalid variable name ${JSON.stringify(key)}` });
      continue;
    }
    const unquoted = unquoteValue(trimmed.slice(equals + 1).trim());
    if ('error' in unquoted) {
      problems.push({ line: number, text: line, reason: unquoted.error });
      continue;
    }
    values[key] = unquoted.value;
  }
  return { values, problems };
}
