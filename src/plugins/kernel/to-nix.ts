// The kernel section as NixOS options: boot.kernelParams, boot.kernelModules, boot.blacklistedKernelModules,
// boot.extraModprobeConfig (modprobe.d text) and boot.kernel.sysctl, from the merged config values.

import type { NixContribution, NixOption, NotExported } from '../../export/nix/contribution.js';
import { REDACTED } from '../../state/redact.js';
import { compareStrings } from '../../util/order.js';
import type { KernelConfig } from './schema.js';

const SYSCTL_GLOB = /[*?[]/;

/** modprobe.d lines for what NixOS has no structured option for, in modprobe.d(5) syntax. */
export function modprobeConfigText(modprobe: KernelConfig['modprobe']): string {
  const sorted = <Value>(record: Record<string, Value>) =>
    Object.entries(record).sort(([a], [b]) => compareStrings(a, b));
  const lines = [
    ...modprobe.aliases.map((alias) => `alias ${alias.pattern} ${alias.module}`),
    ...sorted(modprobe.options)
      .filter(([, parameters]) => parameters.length > 0)
      .map(([module, parameters]) => `options ${module} ${parameters.join(' ')}`),
    ...sorted(modprobe.install).map(([module, command]) => `install ${module} ${command}`),
    ...sorted(modprobe.remove).map(([module, command]) => `remove ${module} ${command}`),
    ...sorted(modprobe.softdeps).map(
      ([module, { pre, post }]) =>
        `softdep ${module}${pre.length > 0 ? ` pre: ${pre.join(' ')}` : ''}${post.length > 0 ? ` post: ${post.join(' ')}` : ''}`,
    ),
  ];
  return lines.map((line) => `${line}\n`).join('');
}

function sysctlOptions(sysctl: KernelConfig['sysctl'], unmapped: NotExported[]): NixOption {
  const values: [string, string][] = [];
  for (const [key, setting] of Object.entries(sysctl)) {
    const item = `$.sections.kernel.config.sysctl[${JSON.stringify(key)}]`;
    if (SYSCTL_GLOB.test(key)) {
      unmapped.push({ item, reason: 'boot.kernel.sysctl writes one key per entry; globs are not expanded' });
    } else if (setting.value === null) {
      unmapped.push({ item, reason: 'a `-key` exclusion from glob assignments has no NixOS option' });
    } else if (setting.value.includes(REDACTED)) {
      unmapped.push({ item, reason: 'the capture withheld a secret in it' });
    } else {
      values.push([key, setting.value]);
      if (setting.ignoreFailure)
        unmapped.push({
          item: `${item}.ignoreFailure`,
          reason: 'boot.kernel.sysctl cannot mark a key whose failure to apply is ignored (`-key`)',
        });
    }
  }
  return { path: ['boot', 'kernel', 'sysctl'], value: Object.fromEntries(values) };
}

export function kernelToNix(config: KernelConfig): NixContribution {
  const unmapped: NotExported[] = [];
  const options: NixOption[] = [];
  if (config.commandLine === null)
    unmapped.push({
      item: '$.sections.kernel.config.commandLine',
      reason: 'no kernel command line was captured',
    });
  else options.push({ path: ['boot', 'kernelParams'], value: config.commandLine });
  options.push(
    { path: ['boot', 'kernelModules'], value: config.modulesLoad },
    { path: ['boot', 'blacklistedKernelModules'], value: config.modprobe.blacklist },
    sysctlOptions(config.sysctl, unmapped),
  );
  const modprobeText = modprobeConfigText(config.modprobe);
  if (modprobeText.includes(REDACTED))
    unmapped.push({
      item: '$.sections.kernel.config.modprobe',
      reason: 'the capture withheld a secret in it',
    });
  else if (modprobeText !== '')
    options.push({
      path: ['boot', 'extraModprobeConfig'],
      value: modprobeText,
      comment: 'aliases, options, install/remove commands and softdeps merged from /etc/modprobe.d',
    });
  for (const [path, file] of Object.entries(config.files))
    if ('masked' in file)
      unmapped.push({
        item: `$.sections.kernel.config.files[${JSON.stringify(path)}]`,
        reason: 'a mask of a vendor file has no NixOS option (NixOS ships no vendor files of its own there)',
      });
  return { options, unmapped };
}
