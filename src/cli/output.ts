// Writing results: JSON documents to a file or stdout, status lines to stderr.
import { rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from './errors.js';

export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Writes atomically (temp file + rename) so an interrupted export never leaves a truncated capture. */
export async function writeOutputFile(path: string, text: string): Promise<string> {
  const target = resolve(path);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text, { mode: 0o600 });
    await rename(temporary, target);
  } catch (error) {
    throw new UsageError(
      `cannot write ${target}: ${(error as Error).message}`,
      `check that ${dirname(target)} exists and is writable`,
    );
  }
  return target;
}
