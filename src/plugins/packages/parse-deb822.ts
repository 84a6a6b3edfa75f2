// Parses Debian control-file text (deb822: dpkg's status database, apt's extended_states) into stanzas.

/** One stanza: field names lower-cased (dpkg compares them case-insensitively), values as written. */
export type Deb822Stanza = Record<string, string>;

const FIELD = /^([^\s:#-][^\s:]*)\s*:\s*(.*)$/;

/**
 * Splits `text` into stanzas separated by blank lines. Continuation lines (leading space or tab) are
 * appended to the previous field after a newline; comment lines and lines that are neither a field nor
 * a continuation are skipped, so one damaged line does not hide the rest of the database.
 */
export function parseDeb822(text: string): Deb822Stanza[] {
  const stanzas: Deb822Stanza[] = [];
  let current: Deb822Stanza | undefined;
  let lastField: string | undefined;
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') {
      current = undefined;
      lastField = undefined;
      continue;
    }
    if (line.startsWith('#')) continue;
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current && lastField !== undefined) current[lastField] = `${current[lastField]}\n${line.slice(1)}`;
      continue;
    }
    const field = FIELD.exec(line);
    if (!field) {
      lastField = undefined;
      continue;
    }
    const name = (field[1] as string).toLowerCase();
    if (!current) {
      current = {};
      stanzas.push(current);
    }
    current[name] = (field[2] as string).trimEnd();
    lastField = name;
  }
  return stanzas;
}
