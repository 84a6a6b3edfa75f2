// Reads what an administrator put under /etc/systemd/system: unit files and drop-ins (content, secrets
// redacted) and links to unit files kept elsewhere. Enablement links, masks and aliases are left out: the
// unit-file states already say what they do. Anything else kept there (an env file, a backup copy, notes)
// is listed by path only, never copied, and an unreadable file is reported instead of failing the plugin.
import { posix } from 'node:path';
import type { DirEntry, RootFs } from '../../machine/root-fs.js';
import { redactConfigText, type SectionRedaction } from '../../state/redact.js';
import type { FileProblem } from '../shared/file-problem.js';
import { hasControlCharacters } from '../shared/safe-path.js';
import { isValidUnitName, UNIT_TYPES } from '../shared/unit-name.js';
import type { AdminFile } from './schema.js';
import { absoluteLinkTarget, isPathUnder } from './unit-tree.js';

export const ADMIN_UNIT_DIR = '/etc/systemd/system';
const DEPENDENCY_DIR_SUFFIXES: ReadonlySet<string> = new Set(['.wants', '.requires', '.upholds']);
const UNIT_TYPE_NAMES: ReadonlySet<string> = new Set(UNIT_TYPES);

export interface AdminFiles {
  files: Map<string, AdminFile>;
  /** Path → why it was not captured. */
  ignored: Map<string, string>;
  problems: FileProblem[];
  redactions: SectionRedaction[];
}

/** systemd skips hidden files (and its own backup suffixes, which are no unit names) in unit directories. */
function isHidden(name: string): boolean {
  return name.startsWith('.');
}

/** `foo.service.d`, `foo-.service.d` (a prefix drop-in) or `service.d` (every unit of a type). */
function isDropInDirName(name: string): boolean {
  if (!name.endsWith('.d') || isHidden(name)) return false;
  const unit = name.slice(0, -'.d'.length);
  return isValidUnitName(unit) || UNIT_TYPE_NAMES.has(unit);
}

/** `multi-user.target.wants`, `foo.service.requires` … */
function isDependencyDirName(name: string): boolean {
  const suffix = posix.extname(name);
  return DEPENDENCY_DIR_SUFFIXES.has(suffix) && isValidUnitName(name.slice(0, -suffix.length));
}

/**
 * Whether `path` is a place an admin unit file or drop-in can live: `/etc/systemd/system/<unit name>` or
 * `/etc/systemd/system/<unit>.d/<name>.conf`. Desired documents are held to this before anything is written.
 */
export function isAdminUnitFilePath(path: string): boolean {
  if (!path.startsWith(`${ADMIN_UNIT_DIR}/`) || hasControlCharacters(path)) return false;
  const parts = path.slice(ADMIN_UNIT_DIR.length + 1).split('/');
  const [first = '', second = ''] = parts;
  if (parts.length === 1) return isValidUnitName(first) && !isHidden(first);
  return parts.length === 2 && isDropInDirName(first) && second.endsWith('.conf') && !isHidden(second);
}

export async function readAdminUnitFiles(files: RootFs, searchPath: readonly string[]): Promise<AdminFiles> {
  const found: AdminFiles = { files: new Map(), ignored: new Map(), problems: [], redactions: [] };

  function problem(path: string, error: unknown): void {
    found.problems.push({ path, line: null, text: null, reason: (error as Error).message });
  }

  async function listDir(dir: string): Promise<DirEntry[]> {
    try {
      return await files.readDir(dir);
    } catch (error) {
      problem(dir, error);
      return [];
    }
  }

  async function readContent(path: string): Promise<void> {
    let text: string | undefined;
    try {
      text = await files.readText(path);
    } catch (error) {
      problem(path, error);
      return;
    }
    if (text === undefined) return;
    const redacted = redactConfigText(text);
    found.files.set(path, { content: redacted.text });
    for (const reason of redacted.reasons) found.redactions.push({ path: ['config', 'files', path], reason });
  }

  /** A link to a unit file or drop-in; at the top, links into the unit directories and masks are unit-file states. */
  async function readLink(path: string, atTop: boolean): Promise<void> {
    let target: string | undefined;
    try {
      target = await files.readLink(path);
    } catch (error) {
      problem(path, error);
      return;
    }
    if (target === undefined) return;
    const linkTo = absoluteLinkTarget(path, target);
    // A drop-in link is kept whatever it points to (a link to /dev/null masks a vendor drop-in).
    const isUnitFileState =
      atTop && (linkTo === '/dev/null' || searchPath.some((dir) => isPathUnder(linkTo, dir)));
    if (!isUnitFileState) found.files.set(path, { linkTo });
  }

  async function readDropInDir(dir: string): Promise<void> {
    const entries = await listDir(dir);
    await Promise.all(
      entries.map((entry) => {
        const path = posix.join(dir, entry.name);
        const isDropIn = entry.name.endsWith('.conf') && !isHidden(entry.name);
        if (isDropIn && entry.kind === 'file') return readContent(path);
        if (isDropIn && entry.kind === 'symlink') return readLink(path, false);
        found.ignored.set(path, 'not a drop-in (*.conf file) of the unit');
        return undefined;
      }),
    );
  }

  /** .wants/.requires/.upholds hold enablement links, which the unit-file states already describe. */
  async function readDependencyDir(dir: string): Promise<void> {
    for (const entry of await listDir(dir)) {
      if (entry.kind !== 'symlink')
        found.ignored.set(posix.join(dir, entry.name), 'not a link in a dependency directory');
    }
  }

  async function readTopEntry(entry: DirEntry): Promise<void> {
    const path = posix.join(ADMIN_UNIT_DIR, entry.name);
    if (entry.kind === 'directory') {
      if (isDropInDirName(entry.name)) return readDropInDir(path);
      if (isDependencyDirName(entry.name)) return readDependencyDir(path);
      found.ignored.set(path, 'a directory systemd does not read (not a drop-in or dependency directory)');
      return;
    }
    const isUnitName = isValidUnitName(entry.name) && !isHidden(entry.name);
    if (isUnitName && entry.kind === 'file') return readContent(path);
    if (isUnitName && entry.kind === 'symlink') return readLink(path, true);
    found.ignored.set(
      path,
      isUnitName ? 'neither a file nor a symlink' : 'not a unit file: its name is no unit name',
    );
  }

  await Promise.all((await listDir(ADMIN_UNIT_DIR)).map(readTopEntry));
  return found;
}
