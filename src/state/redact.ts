// Secrets never leave the machine: values that look like passwords, tokens or keys are replaced by a marker
// and the place is recorded in the document's `redactions` list so users see what was withheld.
import type { PathSegment } from './json-path.js';

export const REDACTED = '[REDACTED]';

export interface Redaction {
  /** JSON Pointer of the redacted value inside the MachineState document. */
  path: string;
  reason: string;
}

/** A redaction found inside one plugin's section, with a path relative to the section. */
export interface SectionRedaction {
  path: PathSegment[];
  reason: string;
}

// Word-like parts (PASS, AUTH, PAT) only count between separators, so AUTHOR or PassEnvironment stay.
const SECRET_NAME =
  /(passw(or)?d|passphrase|(^|[_.-])pass($|[_.-])|pwd|secret|token|api[_-]?key|private[_-]?key|preshared[_-]?key|access[_-]?key|credential|(^|[_.-])auth($|[_.-])|(^|[_.-])pat$)/i;
// systemd directives whose names say "credential" but whose values are file paths or name globs.
const NOT_SECRET_DIRECTIVES = new Set(['LoadCredential', 'LoadCredentialEncrypted', 'ImportCredential']);

/** Whether a variable or option name suggests its value is a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET_DIRECTIVES.has(name);
}

// Assignments inside a line: NAME=value, "NAME=value with spaces", --option=value, --option value.
// A bare NAME must start where a name can (the lookbehind): without it, a long run of name characters is
// rescanned from every position — quadratic, minutes on a 1 MiB line.
const ASSIGNMENT =
  /"([A-Za-z_][A-Za-z0-9_.-]*)=((?:\\.|[^"\\])*)"|(?<![A-Za-z0-9_.-])([A-Za-z_][A-Za-z0-9_.-]*)=("(?:\\.|[^"\\])*"|'[^']*'|(?:\\.|\S)*)/g;
const LONG_OPTION_WITH_VALUE = /(--?[A-Za-z][A-Za-z0-9_-]*)(\s+|=)("[^"]*"|'[^']*'|\S+)/g;
const CREDENTIAL_DIRECTIVE = /^(\s*(?:SetCredential|SetCredentialEncrypted)\s*=\s*[^:\s]+:)(.*)$/;
const DIRECTIVE = /^(\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*)(.*)$/;
// The password part of scheme://user:password@host.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)([^\s@/]+)@/gi;
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g;

export interface RedactedText {
  text: string;
  reasons: string[];
}

/**
 * Redacts secrets in configuration text (unit files, drop-ins, env files): credential directives,
 * secret-named assignments and command-line options, and PEM private keys.
 */
export function redactConfigText(text: string): RedactedText {
  const reasons = new Set<string>();
  let out = text.replace(PEM_PRIVATE_KEY, () => {
    reasons.add('PEM private key');
    return REDACTED;
  });
  out = out
    .split('\n')
    .map((line) => {
      // A commented-out secret is still a secret: redact assignments inside comments too.
      const comment = /^(\s*[#;]+\s*)(.*)$/.exec(line);
      if (comment) return `${comment[1]}${redactLine(comment[2] ?? '', reasons)}`;
      return redactLine(line, reasons);
    })
    .join('\n');
  return { text: out, reasons: [...reasons] };
}

function redactLine(original: string, reasons: Set<string>): string {
  const line = original.replace(URL_PASSWORD, (_whole, prefix: string) => {
    reasons.add('password in a URL');
    return `${prefix}${REDACTED}@`;
  });
  const credential = CREDENTIAL_DIRECTIVE.exec(line);
  if (credential) {
    reasons.add('systemd credential value');
    return `${credential[1]}${REDACTED}`;
  }
  const directive = DIRECTIVE.exec(line);
  if (!directive) return redactAssignments(line, reasons);
  const [, prefix, key, value] = directive as unknown as [string, string, string, string];
  if (isSecretName(key) && value !== '' && value !== REDACTED) {
    reasons.add(`secret-named setting ${key}`);
    return `${prefix}${REDACTED}`;
  }
  return `${prefix}${redactAssignments(value, reasons)}`;
}

function redactAssignments(text: string, reasons: Set<string>): string {
  const withoutAssignments = text.replace(
    ASSIGNMENT,
    (whole, quotedName?: string, quotedValue?: string, bareName?: string, bareValue?: string) => {
      const name = quotedName ?? bareName ?? '';
      const value = quotedValue ?? bareValue ?? '';
      if (!isSecretName(name) || value === '' || value === REDACTED) return whole;
      reasons.add(`secret-named setting ${name}`);
      return quotedName ? `"${name}=${REDACTED}"` : `${name}=${REDACTED}`;
    },
  );
  return withoutAssignments.replace(
    LONG_OPTION_WITH_VALUE,
    (whole, option: string, separator: string, value: string) => {
      if (!isSecretName(option) || value.startsWith('-') || value.includes(REDACTED)) return whole;
      reasons.add(`secret-named option ${option}`);
      return `${option}${separator}${REDACTED}`;
    },
  );
}

/** Last line of defence over a whole document: any PEM private key anywhere is replaced. */
export function redactPrivateKeysDeep(
  value: unknown,
  path: PathSegment[],
  found: SectionRedaction[],
): unknown {
  if (typeof value === 'string') {
    if (!value.includes('PRIVATE KEY-----')) return value;
    const replaced = value.replace(PEM_PRIVATE_KEY, REDACTED);
    if (replaced !== value) found.push({ path, reason: 'PEM private key' });
    return replaced;
  }
  if (Array.isArray(value))
    return value.map((item, index) => redactPrivateKeysDeep(item, [...path, index], found));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value))
      out[key] = redactPrivateKeysDeep(inner, [...path, key], found);
    return out;
  }
  return value;
}
