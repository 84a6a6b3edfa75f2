// Reads the administrator's kernel configuration files (sysctl.d, modules-load.d, modprobe.d under /etc and
// the legacy /etc/sysctl.conf and /etc/modules) as the config holds them: content with secrets withheld, a
// mask, or a link to another of these files (Debian's 99-sysctl.conf → ../sysctl.conf).
import { posix } from 'node:path';
import type { RootFs } from '../../machine/root-fs.js';
import type { SectionRedaction } from '../../state/redact.js';
import { compareStrings } from '../../util/order.js';
import type { FileProblem } from '../shared/file-problem.js';
import { hasControlCharacters } from '../shared/safe-path.js';
import { ADMIN_FILE_SETS, isDropInName, isKernelAdminFilePath } from './admin-paths.js';
import { redactAdminFileText } from './redact-kernel.js';
import type { KernelAdminFile } from './schema.js';

export interface AdminFilesRead {
  files: Record<string, KernelAdminFile>;
  problems: FileProblem[];
  redactions: SectionRedaction[];
}

type Entry = { masked: true } | { linkTarget: string | undefined; text: string };

/**
 * Failures to list or read are not reported here: the drop-in readers read the same paths for the facts and
 * report them there, once.
 */
async function readEntry(files: RootFs, path: string): Promise<Entry | undefined> {
  try {
    const target = await files.readLink(path);
    const linkTarget = target === undefined ? undefined : posix.resolve(posix.dirname(path), target);
    if (linkTarget === '/dev/null') return { masked: true };
    const text = await files.readText(path);
    return text === undefined ? undefined : { linkTarget, text };
  } catch {
    return undefined;
  }
}

async function listAdminPaths(files: RootFs, problems: FileProblem[]): Promise<string[]> {
  const paths: string[] = [];
  for (const set of ADMIN_FILE_SETS) {
    const entries = await files.readDir(set.dir).catch(() => []);
    for (const { name, kind } of entries) {
      if (kind !== 'file' && kind !== 'symlink') continue;
      if (isDropInName(name)) paths.push(`${set.dir}/${name}`);
      else if (name.endsWith('.conf') && !name.startsWith('.') && hasControlCharacters(name))
        problems.push({
          path: `${set.dir}/${JSON.stringify(name)}`,
          line: null,
          text: null,
          reason: 'not captured: its name has control characters',
        });
    }
    if (set.legacyFile) paths.push(set.legacyFile);
  }
  return paths.sort(compareStrings);
}

export async function readKernelAdminFiles(files: RootFs): Promise<AdminFilesRead> {
  const problems: FileProblem[] = [];
  const paths = await listAdminPaths(files, problems);
  const entries = new Map<string, Entry>();
  await Promise.all(
    paths.map(async (path) => {
      const entry = await readEntry(files, path);
      if (entry) entries.set(path, entry);
    }),
  );
  const read: AdminFilesRead = { files: {}, problems, redactions: [] };
  for (const path of paths) {
    const entry = entries.get(path);
    if (!entry) continue;
    if ('masked' in entry) {
      read.files[path] = { masked: true };
      continue;
    }
    // A link to another captured admin file stays a link; one to anywhere else is captured by content.
    const { linkTarget, text } = entry;
    if (linkTarget && isKernelAdminFilePath(linkTarget) && entries.has(linkTarget)) {
      read.files[path] = { linkTo: linkTarget };
      continue;
    }
    const redacted = redactAdminFileText(path, text);
    read.files[path] = { content: redacted.text };
    for (const reason of redacted.reasons)
      read.redactions.push({ path: ['config', 'files', path, 'content'], reason });
  }
  return read;
}
