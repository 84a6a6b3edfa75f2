// Parses sysctl.d files with systemd-sysctl's rules (key normalisation, `-` prefix, glob exclusions) and
// merges files in the order they are applied, so the last assignment of a key wins as it does at boot.
import { compareStrings } from '../../util/order.js';
import { type ConfProblem, meaningfulLines } from './conf-lines.js';

export interface SysctlEntry {
  /** Canonical dotted key, e.g. `net.ipv4.conf.enp3s0/200.forwarding` for /proc/sys/net/ipv4/conf/enp3s0.200/forwarding. */
  key: string;
  /** Value to write; null for a `-key` line that excludes the key from earlier glob assignments. */
  value: string | null;
  /** The line started with `-`: failure to write the value is ignored. */
  ignoreFailure: boolean;
}

/** A key's setting without its key: what the merged config holds. */
export type SysctlSetting = Pick<SysctlEntry, 'value' | 'ignoreFailure'>;

export interface SysctlFile {
  entries: SysctlEntry[];
  problems: ConfProblem[];
}

const GLOB_CHARS = /[*?[]/;

function swapSeparators(text: string): string {
  return text.replace(/[./]/g, (separator) => (separator === '.' ? '/' : '.'));
}

/**
 * Dotted form of a sysctl key. A key whose first separator is `/` is a /proc/sys path, where dots belong to
 * a component (a VLAN interface `enp3s0.200`), so dots and slashes are interchanged; a dotted key stays.
 */
export function normalizeSysctlKey(key: string): string {
  const trimmed = key.trim();
  const firstSeparator = /[./]/.exec(trimmed)?.[0];
  return firstSeparator === '/' ? swapSeparators(trimmed.replace(/^\/+/, '')) : trimmed;
}

/** Where the kernel exposes a dotted key. */
export function sysctlProcPath(key: string): string {
  return `/proc/sys/${swapSeparators(key)}`;
}

export function isSysctlGlob(key: string): boolean {
  return GLOB_CHARS.test(key);
}

export function parseSysctlConf(text: string): SysctlFile {
  const entries: SysctlEntry[] = [];
  const problems: ConfProblem[] = [];
  for (const { line, text: setting } of meaningfulLines(text, { commentChars: '#;', continuation: false })) {
    const ignoreFailure = setting.startsWith('-');
    const body = ignoreFailure ? setting.slice(1) : setting;
    const equals = body.indexOf('=');
    const rawKey = equals === -1 ? body : body.slice(0, equals);
    if (equals === -1 && !ignoreFailure) {
      problems.push({
        line,
        text: setting,
        reason: 'not an assignment (key = value), ignored as systemd-sysctl does',
      });
      continue;
    }
    const key = normalizeSysctlKey(rawKey);
    if (key === '' || /\s/.test(key)) {
      problems.push({ line, text: setting, reason: `invalid sysctl key ${JSON.stringify(rawKey.trim())}` });
      continue;
    }
    if (equals === -1) {
      entries.push({ key, value: null, ignoreFailure: false });
      continue;
    }
    entries.push({ key, value: body.slice(equals + 1).trim(), ignoreFailure });
  }
  return { entries, problems };
}

export interface AppliedSysctl extends SysctlEntry {
  /** File whose assignment wins. */
  path: string;
}

/** Applies files in order; a later assignment of the same key replaces the earlier one. Keys come out sorted. */
export function mergeSysctlFiles(
  files: readonly { path: string; entries: readonly SysctlEntry[] }[],
): Map<string, AppliedSysctl> {
  const merged = new Map<string, AppliedSysctl>();
  for (const { path, entries } of files)
    for (const entry of entries) merged.set(entry.key, { ...entry, path });
  return new Map([...merged.entries()].sort(([a], [b]) => compareStrings(a, b)));
}
