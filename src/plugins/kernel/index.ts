// The kernel plugin: the command line, modules loaded at boot and their options, and sysctl settings,
// read from files under the machine's root (the kernel has no D-Bus API for any of them).
import type { Machine } from '../../machine/machine.js';
import type { Availability, Discovered, Plugin } from '../types.js';
import { readModprobe, readModulesLoad } from './read-module-config.js';
import { readCommandLine, readLoadedModules } from './read-proc.js';
import { readSysctl } from './read-sysctl.js';
import { redactKernelSection } from './redact-kernel.js';
import { type KernelConfig, type KernelFacts, kernelConfigSchema, kernelFactsSchema } from './schema.js';

export type { KernelConfig, KernelFacts } from './schema.js';

// Any one of these is enough to say something true about the machine's kernel.
const KERNEL_EVIDENCE = [
  '/proc/cmdline',
  '/etc/sysctl.d',
  '/etc/sysctl.conf',
  '/etc/modprobe.d',
  '/etc/modules-load.d',
  '/etc/modules',
];

async function kernelAvailable(machine: Machine): Promise<Availability> {
  const found = await Promise.all(
    KERNEL_EVIDENCE.map((path) => machine.files.exists(path).catch(() => false)),
  );
  if (found.some(Boolean)) return { ok: true };
  return { ok: false, reason: `none of ${KERNEL_EVIDENCE.join(', ')} exists under ${machine.root}` };
}

async function discoverKernel(machine: Machine): Promise<Discovered<KernelConfig, KernelFacts>> {
  const [commandLine, loaded, modulesLoad, modprobe, sysctl] = await Promise.all([
    readCommandLine(machine.files),
    readLoadedModules(machine.files),
    readModulesLoad(machine.files),
    readModprobe(machine.files),
    readSysctl(machine.files),
  ]);
  const unavailable: Record<string, string> = {};
  if (commandLine.unavailableReason) unavailable.commandLine = commandLine.unavailableReason;
  if (loaded.unavailableReason) unavailable.loadedModules = loaded.unavailableReason;
  if (sysctl.liveUnavailableReason) unavailable['sysctl.live'] = sysctl.liveUnavailableReason;
  const redacted = redactKernelSection(
    {
      commandLine: commandLine.portable,
      modulesLoad: modulesLoad.config,
      modprobe: modprobe.config,
      sysctl: sysctl.config,
    },
    {
      commandLine: commandLine.facts,
      loadedModules: loaded.modules,
      modulesLoad: modulesLoad.facts,
      modprobe: modprobe.facts,
      sysctl: sysctl.facts,
      problems: [...loaded.problems, ...modulesLoad.problems, ...modprobe.problems, ...sysctl.problems],
      unavailable,
    },
  );
  return {
    config: redacted.config,
    facts: redacted.facts,
    redactions: [...commandLine.redactions, ...redacted.redactions],
  };
}

export const kernelPlugin: Plugin<KernelConfig, KernelFacts> = {
  name: 'kernel',
  summary: 'kernel command line, modules loaded at boot, modprobe.d options and sysctl settings',
  managedBusNames: [],
  configSchema: kernelConfigSchema,
  factsSchema: kernelFactsSchema,
  available: kernelAvailable,
  discover: discoverKernel,
  summarize: (config) =>
    [
      `${config.commandLine?.length ?? 0} command-line parameters`,
      `${config.modulesLoad.length} modules loaded at boot`,
      `${Object.keys(config.modprobe.options).length} modprobe options, ${config.modprobe.blacklist.length} blacklisted`,
      `${Object.keys(config.sysctl).length} sysctl settings`,
    ].join(', '),
};
