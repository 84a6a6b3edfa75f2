// The benchmark's own btrfs file systems (sparse images in /var/tmp, loop-mounted) and the tree it ships:
// 1 GiB of incompressible files, and a second version with 5% of those bytes rewritten.
import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const run = (command, args) =>
  execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

export function createPool(label, sizeBytes) {
  const directory = mkdtempSync(`/var/tmp/opdbus-bench-${label}-`);
  const image = join(directory, 'pool.img');
  const mountpoint = join(directory, 'mnt');
  writeFileSync(image, '');
  truncateSync(image, sizeBytes);
  run('mkfs.btrfs', ['-q', image]);
  mkdirSync(mountpoint);
  run('mount', ['-o', 'loop', image, mountpoint]);
  return { directory, mountpoint };
}

export function removePool(pool) {
  run('umount', [pool.mountpoint]);
  rmSync(pool.directory, { recursive: true, force: true });
}

const BIG_FILE_BYTES = 4 * 1024 * 1024;
const BIG_FILES = 256;
const SMALL_FILES = 2048;

/** 256 files of 4 MiB and 2048 of 4 KiB (1.008 GiB), random so that nothing compresses or shares extents. */
export function writeTree(directory) {
  const buffer = Buffer.allocUnsafe(BIG_FILE_BYTES);
  mkdirSync(join(directory, 'data'), { recursive: true });
  mkdirSync(join(directory, 'small'), { recursive: true });
  for (let index = 0; index < BIG_FILES; index++)
    writeFileSync(join(directory, 'data', `blob-${index}.bin`), randomFillSync(buffer));
  const small = Buffer.allocUnsafe(4096);
  for (let index = 0; index < SMALL_FILES; index++)
    writeFileSync(join(directory, 'small', `file-${index}.txt`), randomFillSync(small));
  return BIG_FILES * BIG_FILE_BYTES + SMALL_FILES * small.length;
}

/** Rewrites every 20th big file: 13 of 256, 5.1% of the tree's bytes. */
export function changeFivePercent(directory) {
  const buffer = Buffer.allocUnsafe(BIG_FILE_BYTES);
  let changed = 0;
  for (let index = 0; index < BIG_FILES; index += 20) {
    writeFileSync(join(directory, 'data', `blob-${index}.bin`), randomFillSync(buffer));
    changed += BIG_FILE_BYTES;
  }
  return changed;
}
