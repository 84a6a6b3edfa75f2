// Checkpoints of files as JSON for the journal: each path's exact entry (content, mode, owner, symlink
// target, or absence), so undoing a file change puts back precisely what was there.
import { posix } from 'node:path';
import type { Machine } from '../machine/machine.js';
import type { PathEntry } from '../machine/root-fs.js';

export type SavedEntry =
  /** `createdFrom`: the highest of its directories that did not exist either (removed again when empty). */
  | { kind: 'absent'; createdFrom?: string }
  | { kind: 'file'; base64: string; mode: number; uid: number; gid: number }
  | { kind: 'symlink'; target: string };

export type FileCheckpoint = Record<string, SavedEntry>;

function saveEntry(path: string, entry: PathEntry): SavedEntry {
  switch (entry.kind) {
    case 'absent':
    case 'symlink':
      return entry;
    case 'file':
      return {
        kind: 'file',
        base64: entry.content.toString('base64'),
        mode: entry.mode,
        uid: entry.uid,
        gid: entry.gid,
      };
    default:
      throw new Error(`cannot change ${path}: it is a ${entry.kind}, not a file or symlink`);
  }
}

function loadEntry(saved: SavedEntry): PathEntry {
  if (saved.kind === 'absent') return { kind: 'absent' };
  return saved.kind === 'file'
    ? {
        kind: 'file',
        content: Buffer.from(saved.base64, 'base64'),
        mode: saved.mode,
        uid: saved.uid,
        gid: saved.gid,
      }
    : saved;
}

async function highestMissingDirectory(machine: Machine, path: string): Promise<string | undefined> {
  let missing: string | undefined;
  for (let directory = posix.dirname(path); directory !== '/'; directory = posix.dirname(directory)) {
    if (await machine.files.exists(directory)) break;
    missing = directory;
  }
  return missing;
}

/** Reads every path as it is now; fails when one is a directory or device op-dbus would not touch. */
export async function checkpointFiles(machine: Machine, paths: Iterable<string>): Promise<FileCheckpoint> {
  const checkpoint: FileCheckpoint = {};
  for (const path of new Set(paths)) {
    const saved = saveEntry(path, await machine.files.entry(path));
    const createdFrom = saved.kind === 'absent' ? await highestMissingDirectory(machine, path) : undefined;
    checkpoint[path] = createdFrom ? { kind: 'absent', createdFrom } : saved;
  }
  return checkpoint;
}

/** Puts `path` back as the checkpoint saw it. */
export async function restoreFile(machine: Machine, checkpoint: FileCheckpoint, path: string): Promise<void> {
  const saved = checkpoint[path];
  if (!saved) throw new Error(`the checkpoint has no copy of ${path}`);
  await machine.files.restoreEntry(path, loadEntry(saved));
  if (saved.kind !== 'absent' || !saved.createdFrom) return;
  // Directories a write created go again, deepest first, as long as nothing else was put in them.
  for (let directory = posix.dirname(path); ; directory = posix.dirname(directory)) {
    if (!(await machine.files.removeEmptyDirectory(directory)) || directory === saved.createdFrom) return;
  }
}
