// A small deterministic YAML emitter for the subset a playbook needs: maps, lists, strings, numbers,
// booleans, null and comments. Every string is quoted (double-quoted with escapes) or printed as a block
// literal, so no value can turn into a boolean, a number, an alias or a tag by accident.

export interface YamlOptions {
  /** A tag to put before a string (Ansible's `!unsafe`), or undefined for none. */
  stringTag?: (text: string) => string | undefined;
}

const INDENT = '  ';
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.]*$/;
// What PyYAML accepts raw inside a document; line breaks YAML 1.1 knows besides \n (NEL, LS, PS) and the BOM
// are left out so a reader never folds or drops them.
const RAW_CHARACTER =
  /[\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]|[\ud800-\udbff][\udc00-\udfff]/y;

/** `text` as a YAML double-quoted scalar: escapes for quotes, backslashes and everything not plainly printable. */
export function quoteYamlString(text: string): string {
  let out = '"';
  for (let index = 0; index < text.length; ) {
    RAW_CHARACTER.lastIndex = index;
    const raw = RAW_CHARACTER.exec(text);
    if (raw && raw[0] !== '\t') {
      out += raw[0] === '"' || raw[0] === '\\' ? `\\${raw[0]}` : raw[0];
      index += raw[0].length;
      continue;
    }
    const code = text.codePointAt(index) ?? 0;
    out += escapeCodePoint(code);
    index += code > 0xffff ? 2 : 1;
  }
  return `${out}"`;
}

function escapeCodePoint(code: number): string {
  const named: Record<number, string> = { 0: '\\0', 9: '\\t', 10: '\\n', 13: '\\r' };
  if (named[code]) return named[code];
  // A lone surrogate has no UTF-8 form; YAML readers refuse it raw and as \u, so it becomes U+FFFD.
  if (code >= 0xd800 && code <= 0xdfff) return '\\uFFFD';
  return code > 0xffff
    ? `\\U${code.toString(16).toUpperCase().padStart(8, '0')}`
    : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Multi-line text every character of which may appear raw in a block literal. */
function fitsBlockLiteral(text: string): boolean {
  if (!text.includes('\n') || /^\n*$/.test(text)) return false;
  for (let index = 0; index < text.length; ) {
    if (text[index] === '\n') {
      index += 1;
      continue;
    }
    RAW_CHARACTER.lastIndex = index;
    const raw = RAW_CHARACTER.exec(text);
    if (!raw) return false;
    index += raw[0].length;
  }
  return true;
}

/** A `|` block literal at `indent`, with the chomping that keeps the trailing newlines exactly. */
function blockLiteral(text: string, indent: string): string {
  const trailing = text.length - text.replace(/\n+$/, '').length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = trailing === 0 ? text : text.slice(0, -1);
  const firstLine = body.split('\n').find((line) => line !== '') ?? '';
  // A first line starting with a blank would be taken for deeper indentation: say the indentation instead.
  const indicator = /^[ \t]/.test(firstLine) ? String(INDENT.length) : '';
  const lines = body.split('\n').map((line) => (line === '' ? '' : `${indent}${line}`));
  return `|${indicator}${chomp}\n${lines.join('\n')}`;
}

function scalar(value: unknown, indent: string, options: YamlOptions): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot print ${value} as YAML`);
    return String(value);
  }
  if (typeof value !== 'string') throw new Error(`cannot print a ${typeof value} as YAML`);
  const tag = options.stringTag?.(value);
  const text = fitsBlockLiteral(value) ? blockLiteral(value, indent) : quoteYamlString(value);
  return tag ? `${tag} ${text}` : text;
}

function key(name: string): string {
  return PLAIN_KEY.test(name) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(name)
    ? name
    : quoteYamlString(name);
}

const isCollection = (value: unknown): value is object => typeof value === 'object' && value !== null;
const isEmpty = (value: object) =>
  Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;

/** Lines of `value` at `indent`; a collection nests, a scalar stays on the line of its key or dash. */
function lines(value: unknown, indent: string, options: YamlOptions): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (isCollection(item) && !isEmpty(item)) {
        const [first = '', ...rest] = lines(item, `${indent}${INDENT}`, options);
        return [`${indent}- ${first.slice(indent.length + INDENT.length)}`, ...rest];
      }
      return [`${indent}- ${inline(item, `${indent}${INDENT}`, options)}`];
    });
  }
  if (isCollection(value)) {
    return Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .flatMap(([name, item]) =>
        isCollection(item) && !isEmpty(item)
          ? [`${indent}${key(name)}:`, ...lines(item, `${indent}${INDENT}`, options)]
          : [`${indent}${key(name)}: ${inline(item, `${indent}${INDENT}`, options)}`],
      );
  }
  return [`${indent}${inline(value, indent, options)}`];
}

function inline(value: unknown, indent: string, options: YamlOptions): string {
  if (Array.isArray(value)) return '[]';
  if (isCollection(value)) return '{}';
  return scalar(value, indent, options);
}

/** `value` as a YAML document body (no `---`), ending with a newline. */
export function toYaml(value: unknown, options: YamlOptions = {}): string {
  return `${lines(value, '', options).join('\n')}\n`;
}

/** `text` as YAML comment lines; characters a comment cannot hold are shown escaped. */
export function yamlComment(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const shown = quoteYamlString(line).slice(1, -1).replaceAll('\\"', '"').replaceAll('\\\\', '\\');
      return shown === '' ? '#' : `# ${shown}`;
    })
    .join('\n');
}
