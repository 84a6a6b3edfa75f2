// Where the ledger lives under the Machine root, and the two file operations RootFs does not offer:
// appending with O_APPEND (a crash never rewrites earlier entries) and reading only the last line.
import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Machine } from '../machine/machine.js';

export const LEDGER_DIRECTORY = '/var/lib/op-dbus/ledger';
export const LEDGER_PATHS = {
  directory: LEDGER_DIRECTORY,
  entries: `${LEDGER_DIRECTORY}/entries.jsonl`,
  head: `${LEDGER_DIRECTORY}/head.json`,
  privateKey: `${LEDGER_DIRECTORY}/signing-key.pem`,
  publicKey: `${LEDGER_DIRECTORY}/signing-key.pub.pem`,
  lock: `${LEDGER_DIRECTORY}/lock`,
} as const;

/** Creates the ledger directory (mode 0700: it holds the private key) and tightens one found wider. */
export async function ensureLedgerDirectory(machine: Machine): Promise<void> {
  const hostPath = await machine.files.resolve(LEDGER_DIRECTORY);
  await mkdir(posix.dirname(hostPath), { recursive: true, mode: 0o755 });
  await mkdir(hostPath, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const stats = await lstat(hostPath);
  if (!stats.isDirectory()) throw new Error(`${LEDGER_DIRECTORY} under ${machine.root} is not a directory`);
  if ((stats.mode & 0o777) !== 0o700) await chmod(hostPath, 0o700);
}

/** Appends `text` in one write with O_APPEND and syncs it (and the directory when the file is new). */
export async function appendToFile(machine: Machine, path: string, text: string): Promise<void> {
  const hostPath = await machine.files.resolve(path);
  const existed = await lstat(hostPath).then(
    () => true,
    () => false,
  );
  const flags = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;
  const handle = await open(hostPath, flags, 0o600);
  try {
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < bytes.length) {
      written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (!existed) await syncDirectory(posix.dirname(hostPath));
}

async function syncDirectory(hostPath: string): Promise<void> {
  const handle = await open(hostPath, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export type FileTail = { kind: 'empty' } | { kind: 'incomplete' } | { kind: 'line'; text: string };

const TAIL_CHUNK_BYTES = 64 * 1024;

/** The last line of a file without reading the whole file: appends stay cheap however long the ledger grows. */
export async function readLastLine(machine: Machine, path: string): Promise<FileTail> {
  const hostPath = await machine.files.resolve(path);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(hostPath, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'empty' };
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return { kind: 'empty' };
    for (let span = Math.min(size, TAIL_CHUNK_BYTES); ; span = Math.min(size, span * 2)) {
      const buffer = Buffer.alloc(span);
      await handle.read(buffer, 0, span, size - span);
      if (buffer[span - 1] !== 0x0a) return { kind: 'incomplete' };
      const start = buffer.lastIndexOf(0x0a, span - 2) + 1;
      if (start > 0 || span === size) return { kind: 'line', text: buffer.toString('utf8', start, span - 1) };
    }
  } finally {
    await handle.close();
  }
}
