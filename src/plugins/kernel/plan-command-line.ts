// Pure planning of the configured kernel command line: rewrite GRUB_CMDLINE_LINUX_DEFAULT in
// /etc/default/grub (created when no boot loader file exists) and /etc/kernel/cmdline where it exists. Both
// take effect at the next boot, after the boot menu or entry is regenerated.
import { type Change, changeId, type PluginPlan, type Unresolved } from '../../engine/change.js';
import { toDisplayPath } from '../../state/json-path.js';
import { REDACTED } from '../../state/redact.js';
import type { CurrentSection } from '../types.js';
import type { GrubCommandLineEdit } from './grub-default.js';
import { GRUB_DEFAULT_PATH, KERNEL_CMDLINE_PATH, type KernelConfig, type KernelFacts } from './schema.js';

const PLUGIN = 'kernel';
export const COMMAND_LINE_KIND = 'command-line';
const PATH = toDisplayPath(['sections', PLUGIN, 'config', 'commandLine']);
const RISK_NOTE =
  'a wrong kernel parameter can keep the machine from booting or from reaching the network; it takes effect at the next boot';

/** What a command-line change carries for apply: the parameters it must configure, and for grub how. */
export interface CommandLineAfter {
  commandLine: string[];
  grub?: GrubCommandLineEdit;
}

const sameTokens = (a: readonly string[] | null, b: readonly string[] | null) =>
  a === b ||
  (a !== null && b !== null && a.length === b.length && a.every((token, index) => token === b[index]));

const quoted = (tokens: readonly string[]) => `"${tokens.join(' ')}"`;

function unresolved(
  description: string,
  blocking: boolean,
  current: string[] | null,
  desired: string[] | null,
) {
  return {
    plugin: PLUGIN,
    path: PATH,
    description,
    expected: desired,
    actual: current,
    blocking,
  } satisfies Unresolved;
}

/**
 * GRUB_CMDLINE_LINUX goes on every entry, recovery ones too, so it is left alone when the desired parameters
 * start with its own; otherwise its portable parameters are dropped (boot-specific ones such as root= stay).
 */
function grubEdit(wanted: string[], linux: readonly string[]): GrubCommandLineEdit {
  const startsWithLinux = linux.every((token, index) => wanted[index] === token);
  return startsWithLinux
    ? { GRUB_CMDLINE_LINUX_DEFAULT: wanted.slice(linux.length) }
    : { GRUB_CMDLINE_LINUX_DEFAULT: wanted, GRUB_CMDLINE_LINUX: [] };
}

function grubChange(now: string[] | null, wanted: string[], facts: KernelFacts['commandLine']): Change {
  const grub = facts.grub;
  const edit = grubEdit(wanted, grub?.linux ?? []);
  const alsoLinux = edit.GRUB_CMDLINE_LINUX
    ? `, and drop ${quoted(grub?.linux ?? [])} from GRUB_CMDLINE_LINUX (it does not start the desired parameters; its boot-specific ones stay)`
    : '';
  return {
    id: changeId(PLUGIN, COMMAND_LINE_KIND, GRUB_DEFAULT_PATH),
    plugin: PLUGIN,
    kind: COMMAND_LINE_KIND,
    action: grub ? 'update' : 'create',
    target: GRUB_DEFAULT_PATH,
    phase: 'files',
    description: `${grub ? 'set' : 'create with'} GRUB_CMDLINE_LINUX_DEFAULT=${quoted(edit.GRUB_CMDLINE_LINUX_DEFAULT)} in ${GRUB_DEFAULT_PATH}${alsoLinux}; regenerate the boot menu (update-grub) before the reboot`,
    reason: `the kernel parameters configured here are ${now ? quoted(now) : 'unknown'}${facts.configuredIn ? ` (${facts.configuredIn})` : " (no boot loader file: the running kernel's)"}, the desired ones ${quoted(wanted)}`,
    risk: 'medium',
    riskNote: RISK_NOTE,
    pendingReboot: true,
    ...(grub
      ? {
          before: {
            GRUB_CMDLINE_LINUX_DEFAULT: grub.linuxDefault,
            ...(edit.GRUB_CMDLINE_LINUX ? { GRUB_CMDLINE_LINUX: grub.linux } : {}),
          },
        }
      : {}),
    after: { commandLine: wanted, grub: edit } satisfies CommandLineAfter,
  };
}

function kernelCmdlineChange(now: string[] | null, wanted: string[]): Change {
  return {
    id: changeId(PLUGIN, COMMAND_LINE_KIND, KERNEL_CMDLINE_PATH),
    plugin: PLUGIN,
    kind: COMMAND_LINE_KIND,
    action: 'update',
    target: KERNEL_CMDLINE_PATH,
    phase: 'files',
    description: `replace the parameters in ${KERNEL_CMDLINE_PATH} with ${quoted(wanted)}, keeping its boot-specific ones (root= …); reinstall the boot entry (kernel-install add) before the reboot`,
    reason: `the kernel parameters configured here are ${now ? quoted(now) : 'unknown'}, the desired ones ${quoted(wanted)}`,
    risk: 'medium',
    riskNote: RISK_NOTE,
    pendingReboot: true,
    ...(now ? { before: { commandLine: now } } : {}),
    after: { commandLine: wanted } satisfies CommandLineAfter,
  };
}

export function planCommandLine(
  current: CurrentSection<KernelConfig, KernelFacts>,
  desired: KernelConfig,
): PluginPlan {
  const now = current.config.commandLine;
  const wanted = desired.commandLine;
  if (sameTokens(now, wanted)) return { changes: [], unresolved: [] };
  if (wanted === null)
    return {
      changes: [],
      unresolved: [
        unresolved(
          'the desired state does not say which kernel parameters to use; op-dbus leaves the ones configured here',
          false,
          now,
          wanted,
        ),
      ],
    };
  if (wanted.some((token) => token.includes(REDACTED)))
    return {
      changes: [],
      unresolved: [
        unresolved(
          `the desired kernel parameters differ and have values that were redacted at capture: op-dbus will not write ${REDACTED} into a boot loader file (set them yourself, then plan again)`,
          true,
          now,
          wanted,
        ),
      ],
    };

  const facts = current.facts.commandLine;
  const plan: PluginPlan = { changes: [], unresolved: [] };
  if (facts.configuredIn === KERNEL_CMDLINE_PATH) plan.changes.push(kernelCmdlineChange(now, wanted));
  if (facts.grub === null && facts.configuredIn !== null) return plan;
  const dropIns = facts.grub?.assignedInDropIns ?? [];
  if (dropIns.length === 0) plan.changes.push(grubChange(now, wanted, facts));
  else
    plan.unresolved.push(
      unresolved(
        `${dropIns.join(', ')} also set${dropIns.length === 1 ? 's' : ''} GRUB_CMDLINE_LINUX or GRUB_CMDLINE_LINUX_DEFAULT after ${GRUB_DEFAULT_PATH}, which is the only file op-dbus rewrites: change the kernel parameters there yourself`,
        facts.configuredIn === GRUB_DEFAULT_PATH,
        now,
        wanted,
      ),
    );
  return plan;
}
