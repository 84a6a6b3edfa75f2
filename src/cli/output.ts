// Writing results: JSON documents to a file or stdout, status lines to stderr.
import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from './errors.js';

export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Writes atomically (a new temp file beside the target, then rename) so an interrupted export never leaves a
 * truncated capture. The temp name is random and opened with O_EXCL, so a planted symlink is never followed.
 */
export async function writeOutputFile(path: string, text: string): Promise<string> {
  const target = resolve(path);
  const isDirectory = await stat(target).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (isDirectory)
    throw new UsageError(`cannot write ${target}: it is a directory`, 'give a file name with -o');
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
