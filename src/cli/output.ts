// Writing results: JSON documents to a file or stdout, status lines to stderr.
import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from './errors.js';

export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export type OutputTarget = 'file' | 'device';

/**
 * What writing to `path` means: a `device` (a character device, a FIFO, a socket: /dev/null, a named pipe) is
 * written into as it is, never replaced; anything else is a file written beside and renamed into place.
 */
export async function outputTargetOf(path: string): Promise<OutputTarget> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory())
    throw new UsageError(`cannot write ${path}: it is a directory`, 'give a file name with -o');
  return info && !info.isFile() ? 'device' : 'file';
}

/**
 * Writes atomically (a new temp file beside the target, then rename) so an interrupted export never leaves a
 * truncated capture. The temp name is random and opened with O_EXCL, so a planted symlink is never followed.
 * A device such as /dev/null is written into, not replaced.
 */
export async function writeOutputFile(path: string, text: string): Promise<string> {
  const target = resolve(path);
  if ((await outputTargetOf(target)) === 'device') {
    await writeFile(target, text);
    return target;
  }
  const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new UsageError(
      `cannot write ${target}: ${(error as Error).message}`,
      `check that ${dirname(target)} exists and is writable`,
    );
  }
  return target;
}
