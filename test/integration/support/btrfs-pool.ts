// Private btrfs file systems for deploy tests: a sparse image in /var/tmp, loop-mounted, removed afterwards
// (never the testbed's own pool, which holds the targets' roots).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface BtrfsPool {
  /** Where the file system is mounted. */
  mountpoint: string;
  /** Unmounts it and deletes the image. */
  remove(): Promise<void>;
}

export async function createBtrfsPool(label: string, sizeBytes = 1024 ** 3): Promise<BtrfsPool> {
  const directory = await mkdtemp(`/var/tmp/opdbus-${label}-`);
  const image = join(directory, 'pool.img');
  const mountpoint = join(directory, 'mnt');
  await writeFile(image, '');
  await truncate(image, sizeBytes);
  await run('mkfs.btrfs', ['-q', image]);
  await mkdir(mountpoint);
  await run('mount', ['-o', 'loop', image, mountpoint]);
  return {
    mountpoint,
    async remove() {
      await run('umount', [mountpoint]);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

export async function createSubvolume(hostPath: string): Promise<void> {
  await run('btrfs', ['subvolume', 'create', hostPath]);
}

export async function deleteSubvolume(hostPath: string): Promise<void> {
  await run('btrfs', ['subvolume', 'delete', hostPath]);
}

/** Every subvolume path on the file system at `mountpoint` (relative to its top level). */
export async function subvolumePaths(mountpoint: string): Promise<string[]> {
  const { stdout } = await run('btrfs', ['subvolume', 'list', mountpoint]);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.replace(/^.* path /, ''));
}

/**
 * One line per entry of a tree: path, type, mode, link count, and the SHA-256 of a file's content or a
 * symlink's target. Two trees with equal digests hold the same files with the same content.
 */
export async function treeDigest(root: string): Promise<string[]> {
  const lines: string[] = [];
  async function walk(relative: string): Promise<void> {
    const names = (await readdir(join(root, relative))).sort();
    for (const name of names) {
      const path = join(relative, name);
      const stats = await lstat(join(root, path));
      const mode = (stats.mode & 0o7777).toString(8);
      if (stats.isDirectory()) {
        lines.push(`${path} dir ${mode}`);
        await walk(path);
      } else if (stats.isSymbolicLink()) {
        lines.push(`${path} link -> ${await readlink(join(root, path))}`);
      } else {
        const hash = createHash('sha256')
          .update(await readFile(join(root, path)))
          .digest('hex');
        lines.push(`${path} file ${mode} nlink=${stats.nlink} ${hash}`);
      }
    }
  }
  await walk('');
  return lines;
}
