// The kernel parameters of /etc/default/grub as grub-mkconfig sees them — the file, then each
// /etc/default/grub.d/*.cfg, sourced in turn; GRUB_CMDLINE_LINUX on every entry and
// GRUB_CMDLINE_LINUX_DEFAULT after it on the default one — and the rewrite of those assignments in place.
import type { FileProblem } from '../shared/file-problem.js';
import { isBootSpecificParameter, parseKernelCommandLine, sortKernelParameters } from './parse-cmdline.js';
import { GRUB_DEFAULT_PATH } from './schema.js';
import { evaluateShellAssignments, quoteShellWord, type ShellAssignment } from './shell-assignments.js';

export const GRUB_DROP_IN_DIR = '/etc/default/grub.d';
const LINUX = 'GRUB_CMDLINE_LINUX';
const LINUX_DEFAULT = 'GRUB_CMDLINE_LINUX_DEFAULT';

export interface GrubKernelParameters {
  /** Final value of GRUB_CMDLINE_LINUX. */
  linux: string;
  /** Final value of GRUB_CMDLINE_LINUX_DEFAULT. */
  linuxDefault: string;
  /** Drop-ins that assign either variable, so a rewrite of /etc/default/grub alone would not stick. */
  assignedInDropIns: string[];
  problems: FileProblem[];
}

const assigns = (assignments: readonly ShellAssignment[]) =>
  assignments.some(({ name }) => name === LINUX || name === LINUX_DEFAULT);

/** `dropIns` in the order grub-mkconfig sources them (sorted by name). */
export function evaluateGrubDefaults(
  main: string,
  dropIns: readonly { path: string; text: string }[] = [],
): GrubKernelParameters {
  const problems: FileProblem[] = [];
  const assignedInDropIns: string[] = [];
  let values = new Map<string, string>();
  for (const { path, text } of [{ path: GRUB_DEFAULT_PATH, text: main }, ...dropIns]) {
    const evaluation = evaluateShellAssignments(text, values);
    values = evaluation.values;
    problems.push(...evaluation.problems.map((problem) => ({ path, ...problem })));
    if (path !== GRUB_DEFAULT_PATH && assigns(evaluation.assignments)) assignedInDropIns.push(path);
  }
  return {
    linux: values.get(LINUX) ?? '',
    linuxDefault: values.get(LINUX_DEFAULT) ?? '',
    assignedInDropIns,
    problems,
  };
}

/** Portable parameters of the default boot entry, secrets withheld: what config.commandLine holds. */
export function configuredGrubParameters(parameters: Pick<GrubKernelParameters, 'linux' | 'linuxDefault'>) {
  return sortKernelParameters(`${parameters.linux} ${parameters.linuxDefault}`).portable;
}

/** What to write; planned from the facts, carried out on the file as it is when the change runs. */
export interface GrubCommandLineEdit {
  /** The parameters GRUB_CMDLINE_LINUX_DEFAULT is set to. */
  GRUB_CMDLINE_LINUX_DEFAULT: string[];
  /** When present, GRUB_CMDLINE_LINUX keeps only its boot-specific parameters (root= …), then these. */
  GRUB_CMDLINE_LINUX?: string[];
}

const NEW_FILE_HEADER =
  '# Kernel parameters for the GRUB boot menu, written by op-dbus.\n' +
  '# Run update-grub after changing this file: the menu is generated from it.\n';

function assignment(name: string, tokens: readonly string[]): string {
  return `${name}=${quoteShellWord(tokens.join(' '))}`;
}

/** GRUB_CMDLINE_LINUX's boot-specific parameters and init arguments, with `portable` in between. */
function linuxKeepingBootParameters(current: string, portable: readonly string[]): string[] {
  const { parameters, initArguments } = parseKernelCommandLine(current);
  const boot = parameters.filter(({ key }) => isBootSpecificParameter(key)).map(({ token }) => token);
  return [...boot, ...portable, ...(initArguments.length > 0 ? ['--', ...initArguments] : [])];
}

/**
 * `text` (undefined: no file yet) with the last assignment of each edited variable replaced — earlier ones
 * are overridden by it anyway — or one appended; every other byte stays. Throws when the result would not
 * configure `expected`, for a file whose other lines build these variables in ways a rewrite cannot follow.
 */
export function rewriteGrubDefaults(
  text: string | undefined,
  edit: GrubCommandLineEdit,
  expected: readonly string[],
): string {
  const base = text ?? NEW_FILE_HEADER;
  const evaluation = evaluateShellAssignments(base);
  const wanted: [string, string[]][] = [[LINUX_DEFAULT, edit.GRUB_CMDLINE_LINUX_DEFAULT]];
  if (edit.GRUB_CMDLINE_LINUX)
    wanted.push([
      LINUX,
      linuxKeepingBootParameters(evaluation.values.get(LINUX) ?? '', edit.GRUB_CMDLINE_LINUX),
    ]);

  const replacements: { start: number; end: number; text: string }[] = [];
  let appended = '';
  for (const [name, tokens] of wanted) {
    const last = evaluation.assignments.filter((candidate) => candidate.name === name).at(-1);
    if (last) replacements.push({ start: last.start, end: last.end, text: assignment(name, tokens) });
    else appended += `${assignment(name, tokens)}\n`;
  }
  let out = base;
  for (const { start, end, text: replacement } of replacements.sort((a, b) => b.start - a.start))
    out = out.slice(0, start) + replacement + out.slice(end);
  if (appended) out += (out === '' || out.endsWith('\n') ? '' : '\n') + appended;

  const result = configuredGrubParameters(evaluateGrubDefaults(out));
  if (result.length !== expected.length || result.some((token, index) => token !== expected[index]))
    throw new Error(
      `rewriting ${GRUB_DEFAULT_PATH} would configure "${result.join(' ')}", not "${expected.join(' ')}": other lines of it build the kernel parameters; edit it by hand`,
    );
  return out;
}
