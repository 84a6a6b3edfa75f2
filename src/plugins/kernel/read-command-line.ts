// Reads the kernel parameters configured for the next boot (/etc/kernel/cmdline, else /etc/default/grub with
// its grub.d drop-ins) and those of the running kernel (/proc/cmdline), and whether a reboot is pending
// because they differ. Secret-named values are withheld everywhere they appear.
import type { RootFs } from '../../machine/root-fs.js';
import type { PathSegment } from '../../state/json-path.js';
import type { SectionRedaction } from '../../state/redact.js';
import { compareStrings } from '../../util/order.js';
import type { FileProblem } from '../shared/file-problem.js';
import { evaluateGrubDefaults, GRUB_DROP_IN_DIR } from './grub-default.js';
import { type SortedParameters, sortKernelParameters } from './parse-cmdline.js';
import { readProcFile } from './read-proc.js';
import { GRUB_DEFAULT_PATH, KERNEL_CMDLINE_PATH, type KernelCommandLineFacts } from './schema.js';

export interface CommandLineRead {
  configured: string[] | null;
  facts: KernelCommandLineFacts;
  problems: FileProblem[];
  /** Why /proc/cmdline could not be read. */
  liveUnavailableReason?: string;
  redactions: SectionRedaction[];
}

async function readIfPresent(files: RootFs, path: string, problems: FileProblem[]) {
  try {
    return await files.readText(path);
  } catch (error) {
    problems.push({ path, line: null, text: null, reason: (error as Error).message });
    return undefined;
  }
}

async function readGrubDropIns(files: RootFs, problems: FileProblem[]) {
  const entries = await files.readDir(GRUB_DROP_IN_DIR).catch((error: Error) => {
    problems.push({ path: GRUB_DROP_IN_DIR, line: null, text: null, reason: error.message });
    return [];
  });
  const paths = entries
    .filter(({ name, kind }) => name.endsWith('.cfg') && (kind === 'file' || kind === 'symlink'))
    .map(({ name }) => `${GRUB_DROP_IN_DIR}/${name}`)
    .sort(compareStrings);
  const texts = await Promise.all(paths.map((path) => readIfPresent(files, path, problems)));
  return paths.flatMap((path, index) => {
    const text = texts[index];
    return text === undefined ? [] : [{ path, text }];
  });
}

const sameTokens = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((token, index) => token === b[index]);

export async function readCommandLine(files: RootFs): Promise<CommandLineRead> {
  const problems: FileProblem[] = [];
  const redactions: SectionRedaction[] = [];
  /** Sorts `text` and records where its values were withheld, for the lists that are kept. */
  const sortAndRecord = (text: string, at: { portable?: PathSegment[]; boot?: PathSegment[] }) => {
    const sorted: SortedParameters = sortKernelParameters(text);
    for (const { list, index, key } of sorted.secrets) {
      const base = at[list];
      if (base) redactions.push({ path: [...base, index], reason: `secret-named kernel parameter ${key}` });
    }
    return sorted;
  };
  const facts = ['facts', 'commandLine'];

  const [proc, kernelCmdline, grubText] = await Promise.all([
    readProcFile(files, '/proc/cmdline'),
    readIfPresent(files, KERNEL_CMDLINE_PATH, problems),
    readIfPresent(files, GRUB_DEFAULT_PATH, problems),
  ]);
  const live =
    'text' in proc
      ? sortAndRecord(proc.text, { portable: [...facts, 'live'], boot: [...facts, 'bootParameters'] })
      : null;

  let grub: KernelCommandLineFacts['grub'] = null;
  let grubCommandLine: string | undefined;
  if (grubText !== undefined) {
    const evaluated = evaluateGrubDefaults(grubText, await readGrubDropIns(files, problems));
    problems.push(...evaluated.problems);
    grub = {
      linux: sortAndRecord(evaluated.linux, { portable: [...facts, 'grub', 'linux'] }).portable,
      linuxDefault: sortAndRecord(evaluated.linuxDefault, { portable: [...facts, 'grub', 'linuxDefault'] })
        .portable,
      assignedInDropIns: evaluated.assignedInDropIns,
    };
    grubCommandLine = `${evaluated.linux} ${evaluated.linuxDefault}`;
  }

  const configuredIn =
    kernelCmdline !== undefined ? KERNEL_CMDLINE_PATH : grub !== null ? GRUB_DEFAULT_PATH : null;
  const configuredText = kernelCmdline ?? grubCommandLine ?? ('text' in proc ? proc.text : undefined);
  const configured =
    configuredText === undefined
      ? null
      : sortAndRecord(configuredText, { portable: ['config', 'commandLine'] }).portable;
  const pendingReboot = live === null || configured === null ? null : !sameTokens(configured, live.portable);

  return {
    configured,
    facts: {
      configuredIn,
      pendingReboot,
      live: live?.portable ?? null,
      bootParameters: live?.boot ?? null,
      initArguments: live?.initArguments ?? null,
      grub,
    },
    problems,
    ...('reason' in proc ? { liveUnavailableReason: proc.reason } : {}),
    redactions,
  };
}
