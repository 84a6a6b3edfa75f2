// Withholds secrets the kernel section would otherwise copy out of files: lines it could not parse (and
// reasons quoting them), modprobe options and install/remove commands, and the values of the sysctl keys
// that are secrets (stable IPv6 address secrets, the TCP Fast Open key). Pure.
import type { PathSegment } from '../../state/json-path.js';
import { REDACTED, redactConfigText, type SectionRedaction } from '../../state/redact.js';
import type { ModprobeConfig } from './parse-modprobe.js';
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

export function redactKernelSection(config: KernelConfig, facts: KernelFacts): RedactedKernelSection {
  const redactor = new Redactor();
  const redactedConfig: KernelConfig = {
    ...config,
    modprobe: redactor.modprobe(config.modprobe, ['config', 'modprobe']),
    sysctl: Object.fromEntries(
      Object.entries(config.sysctl).map(([key, setting]) => [
        key,
        { ...setting, value: redactor.sysctlValue(key, setting.value, ['config', 'sysctl', key, 'value']) },
      ]),
    ),
  };
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
