// Root-relative file access: every file op-dbus reads goes through here, so the same code reads the local
// host (root `/`), a container's root bind-mounted on the host, or a chroot. Absolute symlinks inside the
// root are resolved against the root, as a chroot would, so a container's files never leak the host's.
import { randomBytes } from 'node:crypto';
import { constants, type Dirent } from 'node:fs';
import {
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  rmdir,
  symlink,
} from 'node:fs/promises';
import { join, posix } from 'node:path';

const MAX_SYMLINK_HOPS = 40;

/** What is at a path, without following a final symlink: enough to put it back exactly. */
export type PathEntry =
  | { kind: 'absent' }
  | { kind: 'file'; content: Buffer; mode: number; uid: number; gid: number }
  | { kind: 'symlink'; target: string }
  | { kind: 'directory' | 'other' };

export interface WriteOptions {
  /** Permission bits; 0o644 unless given. */
  mode?: number;
  uid?: number;
  gid?: number;
}

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

  /** Host path of the directory holding `path` (resolved) joined with its last component (not followed). */
  private async hostPathOfEntry(path: string): Promise<string> {
    const normalized = posix.normalize(path);
    if (!normalized.startsWith('/') || normalized === '/')
      throw new Error(`not a file path under the machine root: ${path}`);
    return join(await this.resolve(posix.dirname(normalized)), posix.basename(normalized));
  }

  /** The entry at `path` itself (a final symlink is reported, not followed). */
  async entry(path: string): Promise<PathEntry> {
    const hostPath = await this.hostPathOfEntry(path);
    let stats: Awaited<ReturnType<typeof lstat>>;
    try {
      stats = await lstat(hostPath);
    } catch (error) {
      if (isMissing(error)) return { kind: 'absent' };
      throw error;
    }
    if (stats.isSymbolicLink()) return { kind: 'symlink', target: await readlink(hostPath) };
    if (stats.isDirectory()) return { kind: 'directory' };
    if (!stats.isFile()) return { kind: 'other' };
    const content = await readFile(hostPath);
    return { kind: 'file', content, mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid };
  }

  /**
   * Replaces `path` with `content` atomically (a synced temporary file renamed over it), creating missing
   * parent directories (mode 0755). A symlink at `path` is replaced, never written through.
   */
  async writeFile(path: string, content: string | Buffer, options: WriteOptions = {}): Promise<void> {
    const hostPath = await this.hostPathOfEntry(path);
    const directory = posix.dirname(hostPath);
    await mkdir(directory, { recursive: true, mode: 0o755 });
    const temporary = temporaryNameFor(hostPath);
    const mode = options.mode ?? 0o644;
    const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
    try {
      await handle.writeFile(content);
      // chown clears set-user-ID and set-group-ID bits, so the owner goes first and the mode after it.
      if (options.uid !== undefined && options.gid !== undefined)
        await handle.chown(options.uid, options.gid);
      await handle.chmod(mode);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temporary, { force: true });
      throw error;
    }
    await handle.close();
    try {
      await rename(temporary, hostPath);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    await syncDirectory(directory);
  }

  /** Makes `path` a symlink to `target` (replacing what is there, atomically). */
  async writeSymlink(path: string, target: string): Promise<void> {
    const hostPath = await this.hostPathOfEntry(path);
    const directory = posix.dirname(hostPath);
    await mkdir(directory, { recursive: true, mode: 0o755 });
    const temporary = temporaryNameFor(hostPath);
    await symlink(target, temporary);
    await rename(temporary, hostPath);
    await syncDirectory(directory);
  }

  /** Removes the file or symlink at `path`; nothing when it does not exist. Never removes directories. */
  async removeFile(path: string): Promise<void> {
    const hostPath = await this.hostPathOfEntry(path);
    try {
      if ((await lstat(hostPath)).isDirectory()) throw new Error(`${path} is a directory, not a file`);
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    await rm(hostPath, { force: true });
    await syncDirectory(posix.dirname(hostPath));
  }

  /** Removes the directory at `path` if it is empty; false when it is not empty or not there. */
  async removeEmptyDirectory(path: string): Promise<boolean> {
    try {
      await rmdir(await this.hostPathOfEntry(path));
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || isMissing(error)) return false;
      throw error;
    }
  }

  /** Puts an entry read by `entry` back exactly (content, mode, owner, or symlink target, or absence). */
  async restoreEntry(path: string, entry: PathEntry): Promise<void> {
    if (entry.kind === 'absent') return this.removeFile(path);
    if (entry.kind === 'symlink') return this.writeSymlink(path, entry.target);
    if (entry.kind === 'file')
      return this.writeFile(path, entry.content, { mode: entry.mode, uid: entry.uid, gid: entry.gid });
    throw new Error(`cannot restore ${path}: it was a ${entry.kind}, which op-dbus never changes`);
  }
}

/** A fresh name beside `hostPath`: random, so a file left by a crashed write (same PID) never blocks the next. */
function temporaryNameFor(hostPath: string): string {
  return join(
    posix.dirname(hostPath),
    `.${posix.basename(hostPath)}.op-dbus-${randomBytes(6).toString('hex')}.tmp`,
  );
}

/** fsync of a directory, so a rename in it survives a crash. */
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
