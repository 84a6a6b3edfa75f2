// An in-memory snapshot of the unit directories (entries, symlink targets, file contents), so the unit-file
// state rules can run as pure code over it, exactly as systemd runs them over the real directories.
import { posix } from 'node:path';

export type TreeEntryKind = 'file' | 'directory' | 'symlink' | 'other';

export type TreeNode =
  | { kind: 'directory'; entries: ReadonlyMap<string, TreeEntryKind> }
  | { kind: 'symlink'; target: string }
  | { kind: 'file'; content: string }
  /** Looked at and found absent (a dangling symlink's target, say). */
  | { kind: 'missing' }
  /** Exists but is no regular file, directory or symlink (or could not be read as one). */
  | { kind: 'other' };

/** What a path is in the snapshot, `unknown` when the snapshot never looked at it. */
export type TreeLookup = TreeNode | { kind: 'unknown' };

export interface UnitTree {
  /** The unit search path, highest priority first. */
  readonly searchPath: readonly string[];
  readonly nodes: ReadonlyMap<string, TreeNode>;
}

export function lookupTree(tree: UnitTree, path: string): TreeLookup {
  const node = tree.nodes.get(path);
  if (node) return node;
  const parent = tree.nodes.get(posix.dirname(path));
  if (parent?.kind !== 'directory') return { kind: 'unknown' };
  const kind = parent.entries.get(posix.basename(path));
  return kind === undefined ? { kind: 'missing' } : { kind: 'unknown' };
}

/** lookupTree() of `dir/name`, answered from the directory listing when the entry is absent (the common case). */
export function lookupChild(tree: UnitTree, dir: string, name: string): TreeLookup {
  const parent = tree.nodes.get(dir);
  if (parent?.kind === 'directory' && !parent.entries.has(name)) return { kind: 'missing' };
  return lookupTree(tree, `${dir}/${name}`);
}

const MAX_SYMLINK_HOPS = 64;

export const DEV_NULL = '/dev/null';

/**
 * What `path` finally is once symlinks are followed (as open() sees it); `unknown` past too many hops.
 * /dev/null, the target of every mask, reads as an empty file without being in the snapshot.
 */
export function followLinks(tree: UnitTree, path: string): TreeLookup {
  let current = path;
  for (let hop = 0; hop <= MAX_SYMLINK_HOPS; hop++) {
    if (current === DEV_NULL) return { kind: 'file', content: '' };
    const found = lookupTree(tree, current);
    if (found.kind !== 'symlink') return found;
    current = absoluteLinkTarget(current, found.target);
  }
  return { kind: 'unknown' };
}

/** Names in a directory of the snapshot with the given entry kind, sorted (empty when the directory is absent). */
export function entriesOfKind(tree: UnitTree, dir: string, kind: TreeEntryKind): string[] {
  const node = tree.nodes.get(dir);
  if (node?.kind !== 'directory') return [];
  return [...node.entries].filter(([, entryKind]) => entryKind === kind).map(([name]) => name);
}

/** Absolute, lexically normalised target of the symlink at `linkPath`. */
export function absoluteLinkTarget(linkPath: string, target: string): string {
  return posix.normalize(target.startsWith('/') ? target : posix.join(posix.dirname(linkPath), target));
}

/** Whether `path` is `dir` or below it, comparing whole path components. */
export function isPathUnder(path: string, dir: string): boolean {
  const base = dir.endsWith('/') ? dir.slice(0, -1) : dir;
  return path === base || path.startsWith(`${base}/`);
}
