// Parses systemd unit files and drop-ins (systemd.syntax(7)) the way systemd's config_parse() reads them:
// sections, assignments in order (a key may repeat), comments, trailing-backslash continuations.

export interface UnitFileAssignment {
  key: string;
  value: string;
  /** 1-based line where the assignment starts. */
  line: number;
}

export interface UnitFileSection {
  name: string;
  line: number;
  assignments: UnitFileAssignment[];
}

export interface UnitFileProblem {
  line: number;
  message: string;
  /** Fatal problems make systemd reject the whole file; the others it ignores with a warning. */
  fatal: boolean;
}

export interface ParsedUnitFile {
  sections: UnitFileSection[];
  problems: UnitFileProblem[];
}

const COMMENT_START = /^[ \t\n\r]*[#;]/;

/** Lines of a file, with continuations joined: a line ending in an unescaped backslash continues on the next. */
function logicalLines(text: string): { text: string; line: number }[] {
  const withoutBom = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const physical = withoutBom.includes('\r') ? withoutBom.split(/\r\n|\r|\n/) : withoutBom.split('\n');
  if (physical.at(-1) === '') physical.pop();
  const lines: { text: string; line: number }[] = [];
  let pending: { text: string; line: number } | undefined;
  physical.forEach((raw, index) => {
    // Comment lines are dropped even in the middle of a continuation, as systemd does.
    if (COMMENT_START.test(raw)) return;
    const current = pending
      ? { text: pending.text + raw, line: pending.line }
      : { text: raw, line: index + 1 };
    if (endsWithUnescapedBackslash(current.text)) {
      pending = { text: `${current.text.slice(0, -1)} `, line: current.line };
      return;
    }
    pending = undefined;
    lines.push(current);
  });
  if (pending) lines.push(pending);
  return lines;
}

function endsWithUnescapedBackslash(text: string): boolean {
  let escaped = false;
  for (const char of text) escaped = escaped ? false : char === '\\';
  return escaped;
}

export function parseUnitFile(text: string): ParsedUnitFile {
  const sections: UnitFileSection[] = [];
  const problems: UnitFileProblem[] = [];
  let current: UnitFileSection | undefined;
  for (const { text: raw, line } of logicalLines(text)) {
    const content = raw.trim();
    if (content === '') continue;
    if (content.startsWith('[')) {
      if (!content.endsWith(']')) {
        problems.push({ line, message: `invalid section header ${JSON.stringify(content)}`, fatal: true });
        continue;
      }
      current = { name: content.slice(1, -1), line, assignments: [] };
      sections.push(current);
      continue;
    }
    if (!current) {
      problems.push({ line, message: 'assignment outside of any section, ignored', fatal: false });
      continue;
    }
    const equals = content.indexOf('=');
    if (equals === -1) {
      problems.push({ line, message: `missing '=' in ${JSON.stringify(content)}, ignored`, fatal: false });
      continue;
    }
    if (equals === 0) {
      problems.push({ line, message: "missing key name before '=', ignored", fatal: false });
      continue;
    }
    current.assignments.push({
      key: content.slice(0, equals).trim(),
      value: content.slice(equals + 1).trim(),
      line,
    });
  }
  return { sections, problems };
}

/** A unit file followed by its drop-ins, in the order systemd applies them. */
export function mergeUnitFiles(files: readonly ParsedUnitFile[]): ParsedUnitFile {
  return {
    sections: files.flatMap((file) => file.sections),
    problems: files.flatMap((file) => file.problems),
  };
}

/** Every value assigned to `key` in `section`, in order (settings that take one value use the last). */
export function assignedValues(file: ParsedUnitFile, section: string, key: string): string[] {
  return file.sections
    .filter((candidate) => candidate.name === section)
    .flatMap((candidate) =>
      candidate.assignments.filter((assignment) => assignment.key === key).map((a) => a.value),
    );
}

/**
 * A list setting (WantedBy=, Also=, After= …): each assignment adds its space-separated words and an empty
 * assignment clears what came before it.
 */
export function listValue(file: ParsedUnitFile, section: string, key: string): string[] {
  let words: string[] = [];
  for (const value of assignedValues(file, section, key)) {
    if (value === '') words = [];
    else words.push(...splitUnitWords(value));
  }
  return words;
}

/**
 * Splits a value into words at whitespace; single or double quotes group words and are removed, and a backslash
 * keeps the next character (escapes are kept as written, as systemd's EXTRACT_RETAIN_ESCAPE does).
 */
export function splitUnitWords(value: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (let index = 0; index < value.length; index++) {
    const char = value[index] as string;
    if (char === '\\' && index + 1 < value.length) {
      word = `${word ?? ''}${char}${value[++index]}`;
    } else if (quote) {
      if (char === quote) quote = undefined;
      else word = `${word ?? ''}${char}`;
    } else if (char === '"' || char === "'") {
      quote = char;
      word ??= '';
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = `${word ?? ''}${char}`;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
