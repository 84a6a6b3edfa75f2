// Reads a family of drop-in directories through the machine's root, in the order the consuming tool
// applies them, noting masked files (symlinks to /dev/null) and which files are the administrator's.
import { posix } from 'node:path';
import type { RootFs } from '../../machine/root-fs.js';
import type { FileProblem } from '../shared/file-problem.js';
import type { ConfProblem } from './conf-lines.js';
import { orderDropIns, type ShadowedDropIn } from './drop-in-order.js';

export interface DropInText {
  path: string;
  /** `config` for the administrator's files under /etc, `vendor` for /run, /usr/lib and friends. */
  origin: 'config' | 'vendor';
  /** A symlink to /dev/null: the file hides a vendor file of the same name and contributes nothing. */
  masked: boolean;
  /** Absolute target when the file is a symlink, so callers can tell e.g. /etc/sysctl.conf is already read. */
  linkTarget: string | null;
  text: string;
}

export interface DropIns {
  files: DropInText[];
  shadowed: ShadowedDropIn[];
  problems: FileProblem[];
}

function originOf(path: string): DropInText['origin'] {
  return path.startsWith('/etc/') ? 'config' : 'vendor';
}

async function readOne(
  files: RootFs,
  path: string,
  problems: FileProblem[],
): Promise<DropInText | undefined> {
  try {
    const [target, text] = await Promise.all([files.readLink(path), files.readText(path)]);
    const linkTarget = target === undefined ? null : posix.resolve(posix.dirname(path), target);
    const masked = linkTarget === '/dev/null';
    if (text === undefined && !masked) return undefined;
    return { path, origin: originOf(path), masked, linkTarget, text: masked ? '' : (text ?? '') };
  } catch (error) {
    problems.push({ path, line: null, text: null, reason: (error as Error).message });
    return undefined;
  }
}

export interface DropInSet {
  /** Directories highest priority first (e.g. /etc before /run before /usr/lib). */
  dirs: readonly string[];
  suffix?: string;
  /**
   * A single legacy file read after the drop-ins (/etc/sysctl.conf, Debian's /etc/modules), unless a drop-in
   * already is a symlink to it, as Debian ships 99-sysctl.conf and modules.conf.
   */
  legacyFile?: string;
}

async function listDirectory(files: RootFs, dir: string, problems: FileProblem[]) {
  try {
    const entries = await files.readDir(dir);
    const names = entries
      .filter((entry) => entry.kind === 'file' || entry.kind === 'symlink')
      .map((entry) => entry.name);
    return { dir, names };
  } catch (error) {
    problems.push({ path: dir, line: null, text: null, reason: (error as Error).message });
    return { dir, names: [] };
  }
}

/**
 * Reads the set in application order. Two directories that are the same place (/lib and /usr/lib on merged-/usr
 * systems) are not merged: the tools themselves only compare file names, so one copy shadows the other.
 */
export async function readDropIns(files: RootFs, set: DropInSet): Promise<DropIns> {
  const problems: FileProblem[] = [];
  const legacy = set.legacyFile ? readOne(files, set.legacyFile, problems) : Promise.resolve(undefined);
  const listed = await Promise.all(set.dirs.map((dir) => listDirectory(files, dir, problems)));
  const order = orderDropIns(listed, set.suffix);
  const texts = (await Promise.all(order.files.map((file) => readOne(files, file.path, problems)))).filter(
    (text) => text !== undefined,
  );
  const legacyText = await legacy;
  if (legacyText && !texts.some((file) => file.linkTarget === legacyText.path)) texts.push(legacyText);
  return { files: texts, shadowed: order.shadowed, problems };
}

export interface DropInSources {
  files: { path: string; origin: 'config' | 'vendor'; masked: boolean }[];
  shadowed: { path: string; shadowedBy: string }[];
}

export function describeSources(dropIns: DropIns): DropInSources {
  return {
    files: dropIns.files.map(({ path, origin, masked }) => ({ path, origin, masked })),
    shadowed: dropIns.shadowed,
  };
}

export function locateProblems(path: string, problems: readonly ConfProblem[]): FileProblem[] {
  return problems.map((problem) => ({ path, ...problem }));
}
