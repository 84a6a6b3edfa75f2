// Reads what an administrator put under /etc/systemd/system: unit files and drop-ins (content, secrets
// redacted) and links to unit files kept elsewhere. Enablement links, masks and aliases are left out: the
// unit-file states already say what they do.
import { posix } from 'node:path';
import type { RootFs } from '../../machine/root-fs.js';
import { redactConfigText, type SectionRedaction } from '../../state/redact.js';
import type { AdminFile } from './schema.js';
import { absoluteLinkTarget, isPathUnder } from './unit-tree.js';

export const ADMIN_UNIT_DIR = '/etc/systemd/system';
const DEPENDENCY_DIR_SUFFIXES: ReadonlySet<string> = new Set(['.wants', '.requires', '.upholds']);
// Drop-ins sit one level down (foo.service.d/x.conf); deeper trees are not unit configuration.
const MAX_DEPTH = 3;

export interface AdminFiles {
  files: Map<string, AdminFile>;
  redactions: SectionRedaction[];
}

export async function readAdminUnitFiles(files: RootFs, searchPath: readonly string[]): Promise<AdminFiles> {
  const found = new Map<string, AdminFile>();
  const redactions: SectionRedaction[] = [];

  async function readEntry(dir: string, name: string, kind: string, depth: number): Promise<void> {
    const path = posix.join(dir, name);
    if (kind === 'directory') {
      if (depth < MAX_DEPTH) await walk(path, depth + 1);
    } else if (kind === 'file') {
      const text = await files.readText(path);
      if (text === undefined) return;
      const redacted = redactConfigText(text);
      found.set(path, { content: redacted.text });
      for (const reason of redacted.reasons) redactions.push({ path: ['config', 'files', path], reason });
    } else if (kind === 'symlink' && !DEPENDENCY_DIR_SUFFIXES.has(posix.extname(dir))) {
      const target = await files.readLink(path);
      if (target === undefined) return;
      const linkTo = absoluteLinkTarget(path, target);
      // At the top, a link into the unit directories is an alias and one to /dev/null a mask: both are unit-file
      // states. A drop-in link is kept whatever it points to (a link to /dev/null masks a vendor drop-in).
      const isUnitFileState =
        dir === ADMIN_UNIT_DIR && (linkTo === '/dev/null' || searchPath.some((d) => isPathUnder(linkTo, d)));
      if (!isUnitFileState) found.set(path, { linkTo });
    }
  }

  async function walk(dir: string, depth: number): Promise<void> {
    const entries = await files.readDir(dir);
    await Promise.all(entries.map((entry) => readEntry(dir, entry.name, entry.kind, depth)));
  }

  await walk(ADMIN_UNIT_DIR, 0);
  return { files: found, redactions };
}
