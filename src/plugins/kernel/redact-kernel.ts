// Withholds secrets the kernel section would otherwise copy out of files: the admin files themselves, lines
// it could not parse (and reasons quoting them), modprobe options and install/remove commands, and the values
// of the sysctl keys that are secrets (stable IPv6 address secrets, the TCP Fast Open key). Pure.
import type { PathSegment } from '../../state/json-path.js';
import { REDACTED, type RedactedText, redactConfigText, type SectionRedaction } from '../../state/redact.js';
import { adminFileSetOf } from './admin-paths.js';
import type { MergedKernelConfig } from './merge-admin-files.js';
import type { ModprobeConfig } from './parse-modprobe.js';
import { normalizeSysctlKey } from './parse-sysctl.js';
import type { KernelConfig, KernelFacts } from './schema.js';

/**
 * Sysctl keys documented as secrets (Documentation/networking/ip-sysctl.rst). The shared secret-name
 * rule is not used: it would take `net.sctp.auth_enable` or `bridge-nf-pass-vlan-input-dev` for secrets
 * and miss `tcp_fastopen_key`.
 */
const SECRET_SYSCTL = /(^|\.)(stable_secret|tcp_fastopen_key)$/;

export function isSecretSysctl(key: string): boolean {
  return SECRET_SYSCTL.test(key);
}

// `[# ]-key = value`: the value of a secret key is withheld, in commented-out lines too.
const SYSCTL_ASSIGNMENT = /^(\s*(?:[#;]+\s*)?-?)([^=]*?)(\s*=\s*)(.*?)(\s*)$/;

/** A sysctl.d file with the values of secret keys withheld; the shared text rules would take `auth_enable` for one. */
export function redactSysctlFileText(text: string): RedactedText {
  const reasons = new Set<string>();
  const lines = text.split('\n').map((line) => {
    const match = SYSCTL_ASSIGNMENT.exec(line);
    if (!match) return line;
    const [, prefix, rawKey, equals, value, trailing] = match as unknown as string[];
    const key = normalizeSysctlKey(rawKey as string);
    if (!isSecretSysctl(key) || value === '' || value === REDACTED) return line;
    reasons.add(`secret sysctl ${key}`);
    return `${prefix}${rawKey}${equals}${REDACTED}${trailing}`;
  });
  return { text: lines.join('\n'), reasons: [...reasons] };
}

/** An admin file's content as a capture may hold it. */
export function redactAdminFileText(path: string, text: string): RedactedText {
  return adminFileSetOf(path)?.family === 'sysctl' ? redactSysctlFileText(text) : redactConfigText(text);
}

class Redactor {
  readonly redactions: SectionRedaction[] = [];

  text(value: string, path: PathSegment[]): string {
    const redacted = redactConfigText(value);
    if (redacted.reasons.length > 0) this.redactions.push({ path, reason: redacted.reasons.join('; ') });
    return redacted.text;
  }

  sysctlValue(key: string, value: string | null, path: PathSegment[]): string | null {
    if (value === null || value === REDACTED || !isSecretSysctl(key)) return value;
    this.redactions.push({ path, reason: `secret sysctl ${key}` });
    return REDACTED;
  }

  modprobe(config: ModprobeConfig, base: PathSegment[]): ModprobeConfig {
    const commands = (which: 'install' | 'remove') =>
      Object.fromEntries(
        Object.entries(config[which]).map(([module, command]) => [
          module,
          this.text(command, [...base, which, module]),
        ]),
      );
    return {
      ...config,
      options: Object.fromEntries(
        Object.entries(config.options).map(([module, options]) => [
          module,
          options.map((option, index) => this.text(option, [...base, 'options', module, index])),
        ]),
      ),
      install: commands('install'),
      remove: commands('remove'),
    };
  }
}

export interface RedactedKernelSection {
  config: KernelConfig;
  facts: KernelFacts;
  redactions: SectionRedaction[];
}

function redactMerged<T extends MergedKernelConfig>(merged: T, redactor: Redactor): T {
  return {
    ...merged,
    modprobe: redactor.modprobe(merged.modprobe, ['config', 'modprobe']),
    sysctl: Object.fromEntries(
      Object.entries(merged.sysctl).map(([key, setting]) => [
        key,
        { ...setting, value: redactor.sysctlValue(key, setting.value, ['config', 'sysctl', key, 'value']) },
      ]),
    ),
  };
}

/** Merged values as a capture holds them, so values derived from files can be compared with a document's. */
export function redactMergedValues(merged: MergedKernelConfig): MergedKernelConfig {
  return redactMerged(merged, new Redactor());
}

export function redactKernelSection(config: KernelConfig, facts: KernelFacts): RedactedKernelSection {
  const redactor = new Redactor();
  const redactedConfig = redactMerged(config, redactor);
  const redactedFacts: KernelFacts = {
    ...facts,
    modprobe: {
      ...facts.modprobe,
      vendor: redactor.modprobe(facts.modprobe.vendor, ['facts', 'modprobe', 'vendor']),
    },
    sysctl: {
      ...facts.sysctl,
      vendorDefaults: Object.fromEntries(
        Object.entries(facts.sysctl.vendorDefaults).map(([key, setting]) => [
          key,
          {
            ...setting,
            value: redactor.sysctlValue(key, setting.value, [
              'facts',
              'sysctl',
              'vendorDefaults',
              key,
              'value',
            ]),
          },
        ]),
      ),
      live: Object.fromEntries(
        Object.entries(facts.sysctl.live).map(([key, value]) => [
          key,
          redactor.sysctlValue(key, value, ['facts', 'sysctl', 'live', key]),
        ]),
      ),
    },
    // Reasons can quote the line too (module arguments, an invalid key), so both are redacted.
    problems: facts.problems.map((problem, index) => ({
      ...problem,
      text: problem.text === null ? null : redactor.text(problem.text, ['facts', 'problems', index, 'text']),
      reason: redactor.text(problem.reason, ['facts', 'problems', index, 'reason']),
    })),
  };
  return { config: redactedConfig, facts: redactedFacts, redactions: redactor.redactions };
}
