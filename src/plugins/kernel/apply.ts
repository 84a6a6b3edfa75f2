// Carries out and undoes kernel changes: admin files and boot loader files through the Machine root, and
// restarts of systemd-sysctl / systemd-modules-load through org.freedesktop.systemd1, awaited to the end.
import { z } from 'zod';
import type { Change } from '../../engine/change.js';
import { checkpointFiles, type FileCheckpoint, restoreFile } from '../../engine/file-checkpoint.js';
import type { Machine } from '../../machine/machine.js';
import { applyFileChange } from '../shared/file-changes.js';
import { runUnitJob } from '../shared/systemd-job.js';
import type { ApplyContext } from '../types.js';
import { rewriteGrubDefaults } from './grub-default.js';
import { isBootSpecificParameter, parseKernelCommandLine } from './parse-cmdline.js';
import { RESTART_KIND } from './plan.js';
import { COMMAND_LINE_KIND } from './plan-command-line.js';
import { GRUB_DEFAULT_PATH, KERNEL_CMDLINE_PATH } from './schema.js';

interface KernelCheckpoint {
  files: FileCheckpoint;
}

// Read back from the journal as well as from a fresh plan, so checked before anything is written.
const commandLineAfterSchema = z.object({
  commandLine: z.array(z.string()),
  grub: z
    .object({
      GRUB_CMDLINE_LINUX_DEFAULT: z.array(z.string()),
      GRUB_CMDLINE_LINUX: z.array(z.string()).optional(),
    })
    .optional(),
});

/** Every change but the restarts rewrites the file named by its target. */
const changesAFile = (change: Change) => change.kind !== RESTART_KIND;

export async function checkpointKernel(
  changes: readonly Change[],
  machine: Machine,
): Promise<KernelCheckpoint> {
  return {
    files: await checkpointFiles(
      machine,
      changes.filter(changesAFile).map((change) => change.target),
    ),
  };
}

/** /etc/kernel/cmdline keeps its boot-specific parameters (root= …) and init arguments around the new ones. */
function kernelCmdlineText(current: string, wanted: readonly string[]): string {
  const { parameters, initArguments } = parseKernelCommandLine(current);
  const boot = parameters.filter(({ key }) => isBootSpecificParameter(key)).map(({ token }) => token);
  const tail = initArguments.length > 0 ? ['--', ...initArguments] : [];
  return `${[...boot, ...wanted, ...tail].join(' ')}\n`;
}

async function applyCommandLine(change: Change, machine: Machine): Promise<void> {
  const after = commandLineAfterSchema.parse(change.after);
  const current = await machine.files.readText(change.target);
  let content: string;
  if (change.target === GRUB_DEFAULT_PATH && after.grub) {
    content = rewriteGrubDefaults(current, after.grub, after.commandLine);
  } else if (change.target === KERNEL_CMDLINE_PATH && current !== undefined) {
    content = kernelCmdlineText(current, after.commandLine);
  } else {
    throw new Error(
      `cannot set the kernel parameters in ${change.target}: it is not there or not a boot loader file`,
    );
  }
  // Through the shared writer, so a replaced file keeps its mode and owner.
  await applyFileChange({ ...change, after: { content } }, machine);
}

export async function applyKernelChange(
  change: Change,
  machine: Machine,
  context: ApplyContext,
): Promise<void> {
  switch (change.kind) {
    case RESTART_KIND:
      return runUnitJob(await machine.bus(), 'RestartUnit', change.target, context.changeTimeoutMs);
    case COMMAND_LINE_KIND:
      return applyCommandLine(change, machine);
    default:
      return applyFileChange(change, machine);
  }
}

export async function undoKernelChange(
  change: Change,
  checkpoint: unknown,
  machine: Machine,
  context: ApplyContext,
): Promise<void> {
  // Undone after the files are back: the restart applies the restored settings.
  if (change.kind === RESTART_KIND)
    return runUnitJob(await machine.bus(), 'RestartUnit', change.target, context.changeTimeoutMs);
  return restoreFile(machine, (checkpoint as KernelCheckpoint).files, change.target);
}
