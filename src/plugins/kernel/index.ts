// The kernel plugin: the command line, modules loaded at boot and their options, and sysctl settings,
// read from files under the machine's root (the kernel has no D-Bus API for any of them) and written back
// there, with systemd-sysctl and systemd-modules-load restarted through systemd1 to apply them.
import type { Machine } from '../../machine/machine.js';
import type { Availability, Discovered, Plugin } from '../types.js';
import { readKernelAdminFiles } from './admin-files.js';
import { applyKernelChange, checkpointKernel, undoKernelChange } from './apply.js';
import { mergeAdminFiles } from './merge-admin-files.js';
import { planKernelChanges } from './plan.js';
import { readCommandLine } from './read-command-line.js';
import { readModprobe, readModulesLoad } from './read-module-config.js';
import { readLoadedModules } from './read-proc.js';
import { readSysctl } from './read-sysctl.js';
import { redactKernelSection } from './redact-kernel.js';
import {
  GRUB_DEFAULT_PATH,
  KERNEL_CMDLINE_PATH,
  type KernelConfig,
  type KernelFacts,
  kernelConfigSchema,
  kernelFactsSchema,
} from './schema.js';
import { kernelToAnsible } from './to-ansible.js';
import { kernelToNix } from './to-nix.js';

export type { KernelConfig, KernelFacts } from './schema.js';

// Any one of these is enough to say something true about the machine's kernel.
const KERNEL_EVIDENCE = [
  '/proc/cmdline',
  '/etc/sysctl.d',
  '/etc/sysctl.conf',
  '/etc/modprobe.d',
  '/etc/modules-load.d',
  '/etc/modules',
  KERNEL_CMDLINE_PATH,
  GRUB_DEFAULT_PATH,
];

async function kernelAvailable(machine: Machine): Promise<Availability> {
  const found = await Promise.all(
    KERNEL_EVIDENCE.map((path) => machine.files.exists(path).catch(() => false)),
  );
  if (found.some(Boolean)) return { ok: true };
  return { ok: false, reason: `none of ${KERNEL_EVIDENCE.join(', ')} exists under ${machine.root}` };
}

async function discoverKernel(machine: Machine): Promise<Discovered<KernelConfig, KernelFacts>> {
  const [adminFiles, commandLine, loaded, modulesLoad, modprobe, sysctl] = await Promise.all([
    readKernelAdminFiles(machine.files),
    readCommandLine(machine.files),
    readLoadedModules(machine.files),
    readModulesLoad(machine.files),
    readModprobe(machine.files),
    readSysctl(machine.files),
  ]);
  const unavailable: Record<string, string> = {};
  if (commandLine.liveUnavailableReason) unavailable['commandLine.live'] = commandLine.liveUnavailableReason;
  if (loaded.unavailableReason) unavailable.loadedModules = loaded.unavailableReason;
  if (sysctl.liveUnavailableReason) unavailable['sysctl.live'] = sysctl.liveUnavailableReason;
  // Merged from the captured (redacted) files, so a document's merged values always follow from its files.
  const redacted = redactKernelSection(
    {
      files: adminFiles.files,
      commandLine: commandLine.configured,
      ...mergeAdminFiles(adminFiles.files),
    },
    {
      commandLine: commandLine.facts,
      loadedModules: loaded.modules,
      modulesLoad: modulesLoad.facts,
      modprobe: modprobe.facts,
      sysctl: sysctl.facts,
      problems: [
        ...adminFiles.problems,
        ...commandLine.problems,
        ...loaded.problems,
        ...modulesLoad.problems,
        ...modprobe.problems,
        ...sysctl.problems,
      ],
      unavailable,
    },
  );
  return {
    config: redacted.config,
    facts: redacted.facts,
    redactions: [...adminFiles.redactions, ...commandLine.redactions, ...redacted.redactions],
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
  summarize: (config, facts) =>
    [
      `${Object.keys(config.files).length} admin files`,
      `${config.commandLine?.length ?? 0} command-line parameters${facts.commandLine.pendingReboot ? ' (pending reboot)' : ''}`,
      `${config.modulesLoad.length} modules loaded at boot`,
      `${Object.keys(config.modprobe.options).length} modprobe options, ${config.modprobe.blacklist.length} blacklisted`,
      `${Object.keys(config.sysctl).length} sysctl settings`,
    ].join(', '),
  writer: {
    plan: (current, desired) => planKernelChanges(current, desired),
    checkpoint: checkpointKernel,
    apply: applyKernelChange,
    undo: undoKernelChange,
    pendingReboot: ({ config, facts }) =>
      facts.commandLine.pendingReboot
        ? [
            `kernel parameters configured in ${facts.commandLine.configuredIn}: ${(config.commandLine ?? []).join(' ') || '(none)'}; running with: ${(facts.commandLine.live ?? []).join(' ') || '(none)'}`,
          ]
        : [],
  },
  toNix: kernelToNix,
  toAnsible: kernelToAnsible,
};
