// Parses the kernel command line (/proc/cmdline) with the kernel's own quoting rules, and tells the
// parameters that only make sense for one boot (root device, initrd, image) from the portable ones.
import { isSecretName, REDACTED } from '../../state/redact.js';

export interface KernelParameter {
  /** The token exactly as written, quotes included: what a boot loader entry or boot.kernelParams takes. */
  token: string;
  key: string;
  /** Value with the kernel's quote stripping applied; null for a flag such as `quiet`. */
  value: string | null;
}

export interface KernelCommandLine {
  parameters: KernelParameter[];
  /** Everything after a lone `--`: the kernel passes it to init untouched. */
  initArguments: string[];
}

/**
 * Parameters that describe this boot rather than the machine's kernel configuration: they name the root
 * device, the image or initrd, hibernation storage or the machine's identity, so copying them to another
 * machine would break its boot. Keys ending in `.` are prefixes (e.g. every `rd.luks.*` option).
 */
export const BOOT_SPECIFIC_PARAMETERS: readonly string[] = [
  'BOOT_IMAGE',
  'boot',
  'cryptdevice',
  'cryptkey',
  'init',
  'initrd',
  'luks.',
  'mount.usr',
  'mount.usrflags',
  'mount.usrfstype',
  'noresume',
  'rd.dm.',
  'rd.luks.',
  'rd.lvm.',
  'rd.md.',
  'rdinit',
  'resume',
  'resume_offset',
  'ro',
  'root',
  'rootdelay',
  'rootflags',
  'rootfstype',
  'roothash',
  'rootwait',
  'rw',
  'systemd.machine_id',
  'usrhash',
];

export function isBootSpecificParameter(key: string): boolean {
  return BOOT_SPECIFIC_PARAMETERS.some((entry) =>
    entry.endsWith('.') ? key.startsWith(entry) : key === entry,
  );
}

/** Splits at whitespace outside double quotes, as the kernel's next_arg() does; an open quote runs to the end. */
export function splitKernelArguments(text: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inQuote = false;
  for (const char of text) {
    if (char === '"') inQuote = !inQuote;
    if (!inQuote && /\s/.test(char)) {
      if (current !== '') tokens.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  if (current !== '') tokens.push(current);
  return tokens;
}

function stripQuotes(text: string): string {
  let out = text;
  if (out.startsWith('"')) {
    out = out.slice(1);
    if (out.endsWith('"')) out = out.slice(0, -1);
  }
  return out;
}

function parseParameter(token: string): KernelParameter {
  // `"foo=a b"` quotes the whole parameter; `foo="a b"` only the value. The kernel accepts both.
  const unwrapped = token.startsWith('"') ? stripQuotes(token) : token;
  const equals = unwrapped.indexOf('=');
  if (equals === -1) return { token, key: unwrapped, value: null };
  return { token, key: unwrapped.slice(0, equals), value: stripQuotes(unwrapped.slice(equals + 1)) };
}

export function parseKernelCommandLine(text: string): KernelCommandLine {
  const tokens = splitKernelArguments(text);
  const separator = tokens.indexOf('--');
  const own = separator === -1 ? tokens : tokens.slice(0, separator);
  return {
    parameters: own.map(parseParameter),
    initArguments: separator === -1 ? [] : tokens.slice(separator + 1),
  };
}

export interface SortedParameters {
  /** Parameters that are not boot-specific, secret-named values replaced by REDACTED. */
  portable: string[];
  /** Boot-specific parameters as written, secret-named values replaced by REDACTED. */
  boot: string[];
  initArguments: string[];
  /** Where values were withheld: which list, the index in it and the parameter's name. */
  secrets: { list: 'portable' | 'boot'; index: number; key: string }[];
}

/** Splits a command line into portable and boot-specific parameters, withholding secret-named values. */
export function sortKernelParameters(text: string): SortedParameters {
  const { parameters, initArguments } = parseKernelCommandLine(text);
  const sorted: SortedParameters = { portable: [], boot: [], initArguments, secrets: [] };
  for (const { token, key, value } of parameters) {
    const list = isBootSpecificParameter(key) ? 'boot' : 'portable';
    if (value !== null && isSecretName(key)) {
      sorted.secrets.push({ list, index: sorted[list].length, key });
      sorted[list].push(`${key}=${REDACTED}`);
    } else {
      sorted[list].push(token);
    }
  }
  return sorted;
}
