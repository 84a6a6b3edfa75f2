// Root-relative file access: every file op-dbus reads goes through here, so the same code reads the local
// host (root `/`), a container's root bind-mounted on the host, or a chroot. Absolute symlinks inside the
// root are resolved against the root, as a chroot would, so a container's files never leak the host's.
import type { Dirent } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';

const MAX_SYMLINK_HOPS = 40;

export interface DirEntry {
  name: string;
  kind: 'file' | 'directory' | 'symlink' | 'other';
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export class RootFs {
  constructor(
    readonly root: string,
    private readonly resolvedDirectories?: Map<string, Promise<string>>,
  ) {}

  /**
   * A view that resolves each directory once and remembers it: for one pass over a tree (a unit search
   * path), where checking every component of every file would cost ~6 system calls per file. Symlinks
   * changed after the view resolved a directory are not seen, so do not keep the view.
   */
  withDirectoryCache(): RootFs {
    return new RootFs(this.root, new Map());
  }

  /** Host path of `path` inside the root, with symlinks resolved against the root. */
  async resolve(path: string): Promise<string> {
    if (!path.startsWith('/')) throw new Error(`machine paths must be absolute: ${path}`);
    if (this.root === '/') return posix.normalize(path);
    const normalized = posix.normalize(path);
    if (!this.resolvedDirectories || normalized === '/' || normalized.split('/').includes('..')) {
      return this.resolveEachComponent(path);
    }
    const directory = posix.dirname(normalized);
    let hostDirectory = this.resolvedDirectories.get(directory);
    if (hostDirectory === undefined) {
      hostDirectory = this.resolve(directory);
      this.resolvedDirectories.set(directory, hostDirectory);
    }
    const hostPath = join(await hostDirectory, posix.basename(normalized));
    try {
      if ((await lstat(hostPath)).isSymbolicLink()) return this.resolveEachComponent(path);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    return hostPath;
  }

  private async resolveEachComponent(path: string): Promise<string> {
    const pending = path.split('/').filter(Boolean);
    let resolved: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.shift() as string;
      if (part === '.') continue;
      if (part === '..') {
        resolved.pop();
        continue;
      }
      const candidate = [...resolved, part];
      const hostPath = join(this.root, ...candidate);
      let target: string | undefined;
      try {
        if ((await lstat(hostPath)).isSymbolicLink()) target = await readlink(hostPath);
      } catch (error) {
        if (!isMissing(error)) throw error;
        return join(this.root, ...candidate, ...pending);
      }
      if (target === undefined) {
        resolved = candidate;
        continue;
      }
      if (++hops > MAX_SYMLINK_HOPS)
        throw new Error(`too many symlinks resolving ${path} under ${this.root}`);
      if (target.startsWith('/')) resolved = [];
      pending.unshift(...target.split('/').filter(Boolean));
    }
    return join(this.root, ...resolved);
  }

  /** File content, or undefined when the file does not exist. */
  async readText(path: string): Promise<string | undefined> {
    try {
      return await readFile(await this.resolve(path), 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw new Error(`cannot read ${path} under root ${this.root}: ${(error as Error).message}`);
    }
  }

  /** Directory entries sorted by name, or an empty list when the directory does not exist. */
  async readDir(path: string): Promise<DirEntry[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(await this.resolve(path), { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return [];
      throw new Error(`cannot list ${path} under root ${this.root}: ${(error as Error).message}`);
    }
    return entries
      .map((entry) => ({
        name: entry.name,
        kind: entry.isSymbolicLink()
          ? ('symlink' as const)
          : entry.isDirectory()
            ? ('directory' as const)
            : entry.isFile()
              ? ('file' as const)
              : ('other' as const),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Target of a symlink as written in it, or undefined when `path` is not a symlink. */
  async readLink(path: string): Promise<string | undefined> {
    const parent = await this.resolve(posix.dirname(path));
    try {
      return await readlink(join(parent, posix.basename(path)));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (isMissing(error) || code === 'EINVAL') return undefined;
      throw error;
    }
  }

  async exists(path: string): Promise<boolean> {
    try {
      await lstat(await this.resolve(path));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }
}
