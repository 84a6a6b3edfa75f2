// Reads the unit directories of a machine into a UnitTree snapshot through machine.files: every directory of
// the search path, its dependency (.wants …) and drop-in (.d) directories, the unit files that decide a
// name's state, and the targets of symlinks, all concurrently.
import { posix } from 'node:path';
import type { DirEntry, RootFs } from '../../machine/root-fs.js';
import { isValidUnitName } from '../shared/unit-name.js';
import {
  absoluteLinkTarget,
  DEV_NULL,
  isPathUnder,
  lookupTree,
  type TreeNode,
  type UnitTree,
} from './unit-tree.js';

const SUBDIR_SUFFIXES: ReadonlySet<string> = new Set(['.wants', '.requires', '.upholds', '.d']);
const MAX_SYMLINK_HOPS = 64;

export async function readUnitTree(machineFiles: RootFs, searchPath: readonly string[]): Promise<UnitTree> {
  // One pass over hundreds of files in a few directories: resolve each directory once.
  const files = machineFiles.withDirectoryCache();
  const nodes = new Map<string, TreeNode>();
  const tree: UnitTree = { searchPath, nodes };
  const reader = new TreeReader(files, nodes);
  const { distinct, sameAs } = await groupSameDirectories(files, searchPath);
  const listings = await Promise.all(distinct.map((dir) => reader.readDir(dir)));

  // Only the first file of each name matters (it shadows the rest); symlinks are all needed, for enablement.
  const firstOfName = new Set<string>();
  const pending: Promise<unknown>[] = [];
  distinct.forEach((dir, index) => {
    for (const entry of listings[index] ?? []) {
      const path = posix.join(dir, entry.name);
      if (entry.kind === 'symlink') pending.push(reader.readLink(path));
      else if (entry.kind === 'directory' && SUBDIR_SUFFIXES.has(posix.extname(entry.name))) {
        pending.push(entry.name.endsWith('.d') ? reader.readDropInDir(path) : reader.readDir(path));
      } else if (entry.kind === 'file' && isValidUnitName(entry.name) && !firstOfName.has(entry.name)) {
        pending.push(reader.readFile(path));
      }
      if (entry.kind === 'file' || entry.kind === 'symlink') firstOfName.add(entry.name);
    }
  });
  await Promise.all(pending);
  for (const [alias, original] of sameAs) mirrorNodes(nodes, original, alias);

  // Symlink targets the directories did not answer: unit files linked from elsewhere, shadowed files, chains.
  const symlinks = [...nodes].filter(
    (entry): entry is [string, TreeNode & { kind: 'symlink' }] => entry[1].kind === 'symlink',
  );
  await Promise.all(
    symlinks.map(([path, node]) => reader.readChain(tree, absoluteLinkTarget(path, node.target))),
  );
  return tree;
}

/**
 * Search directories that are one directory under two names (/lib/systemd/system and /usr/lib/systemd/system
 * on merged-/usr systems) are read once and mirrored: systemd scans both, with the same result.
 */
async function groupSameDirectories(files: RootFs, searchPath: readonly string[]) {
  const resolved = await Promise.all(searchPath.map((dir) => files.resolve(dir).catch(() => dir)));
  const firstByResolved = new Map<string, string>();
  const distinct: string[] = [];
  const sameAs: [string, string][] = [];
  searchPath.forEach((dir, index) => {
    const key = resolved[index] as string;
    const original = firstByResolved.get(key);
    if (original === undefined) {
      firstByResolved.set(key, dir);
      distinct.push(dir);
    } else sameAs.push([dir, original]);
  });
  return { distinct, sameAs };
}

function mirrorNodes(nodes: Map<string, TreeNode>, original: string, alias: string): void {
  for (const [path, node] of [...nodes]) {
    if (isPathUnder(path, original)) nodes.set(alias + path.slice(original.length), node);
  }
}

class TreeReader {
  constructor(
    private readonly files: RootFs,
    private readonly nodes: Map<string, TreeNode>,
  ) {}

  async readDir(path: string): Promise<DirEntry[]> {
    const entries = await this.files.readDir(path);
    this.nodes.set(path, {
      kind: 'directory',
      entries: new Map(entries.map((entry) => [entry.name, entry.kind])),
    });
    return entries;
  }

  /** A drop-in directory, its .conf files and links (their targets are read with the other symlinks'). */
  async readDropInDir(path: string): Promise<void> {
    const entries = await this.readDir(path);
    await Promise.all(
      entries
        .filter((entry) => entry.name.endsWith('.conf') && entry.kind !== 'directory')
        .map((entry) => {
          const confPath = posix.join(path, entry.name);
          return entry.kind === 'symlink' ? this.readLink(confPath) : this.readFile(confPath);
        }),
    );
  }

  async readFile(path: string): Promise<void> {
    try {
      const content = await this.files.readText(path);
      this.nodes.set(path, content === undefined ? { kind: 'missing' } : { kind: 'file', content });
    } catch {
      // A directory, a socket, an unreadable file: the derivation leaves such names to systemd.
      this.nodes.set(path, { kind: 'other' });
    }
  }

  async readLink(path: string): Promise<void> {
    const target = await this.files.readLink(path);
    if (target === undefined) await this.readFile(path);
    else this.nodes.set(path, { kind: 'symlink', target });
  }

  /** Whatever `path` leads to, read until the snapshot can answer (a file, a mask, the end of a chain). */
  async readChain(tree: UnitTree, path: string): Promise<void> {
    let current = path;
    // A mask needs no read: the derivation knows /dev/null.
    for (let hop = 0; hop < MAX_SYMLINK_HOPS && current !== DEV_NULL; hop++) {
      let found = lookupTree(tree, current);
      if (found.kind === 'unknown') {
        await this.readLink(current);
        found = lookupTree(tree, current);
      }
      if (found.kind !== 'symlink') return;
      current = absoluteLinkTarget(current, found.target);
    }
  }
}
