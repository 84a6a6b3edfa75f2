// btrfs-progs, the one way to snapshot, send and receive subvolumes (the kernel offers no D-Bus API for it):
// always spawned with argument arrays, on host paths, with errors that carry btrfs's own message.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { lstat, statfs } from 'node:fs/promises';

const BTRFS = 'btrfs';
const BTRFS_SUPER_MAGIC = 0x9123683e;
/** A subvolume's root directory always has this inode number (BTRFS_FIRST_FREE_OBJECTID). */
const SUBVOLUME_ROOT_INODE = 256;
const COMMAND_TIMEOUT_MS = 120_000;

export class BtrfsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BtrfsError';
  }
}

/** The last few lines btrfs wrote to stderr: where it says what went wrong. */
export function btrfsMessage(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('At subvol') && !line.startsWith('At snapshot'));
  return lines.slice(-3).join('; ') || 'no message';
}

function missingBinary(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

const NOT_INSTALLED = 'btrfs-progs is not installed (no `btrfs` in PATH)';

export function runBtrfs(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      BTRFS,
      args,
      { timeout: COMMAND_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        if (missingBinary(error)) return reject(new BtrfsError(NOT_INSTALLED));
        reject(new BtrfsError(`btrfs ${args[0]} ${args[1] ?? ''} failed: ${btrfsMessage(String(stderr))}`));
      },
    );
  });
}

export async function isOnBtrfs(hostPath: string): Promise<boolean> {
  return (await statfs(hostPath)).type === BTRFS_SUPER_MAGIC;
}

export async function isSubvolumeRoot(hostPath: string): Promise<boolean> {
  try {
    const stats = await lstat(hostPath);
    return stats.isDirectory() && stats.ino === SUBVOLUME_ROOT_INODE;
  } catch {
    return false;
  }
}

export interface SubvolumeInfo {
  uuid: string;
  receivedUuid: string | undefined;
  generation: number;
  readOnly: boolean;
}

/** Parses `btrfs subvolume show`, whose labels are stable across btrfs-progs 5 and 6. */
export function parseSubvolumeShow(text: string): SubvolumeInfo {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\s+([A-Za-z ()]+):\s*(.*)$/.exec(line);
    if (match) fields.set((match[1] as string).trim(), (match[2] as string).trim());
  }
  const uuid = fields.get('UUID');
  const generation = Number(fields.get('Gen at creation') ?? fields.get('Generation'));
  if (!uuid || !Number.isInteger(generation))
    throw new BtrfsError('unexpected output from btrfs subvolume show');
  const received = fields.get('Received UUID');
  return {
    uuid,
    receivedUuid: received && received !== '-' ? received : undefined,
    generation,
    readOnly: (fields.get('Flags') ?? '').split(/[\s,]+/).includes('readonly'),
  };
}

export async function showSubvolume(hostPath: string): Promise<SubvolumeInfo> {
  return parseSubvolumeShow(await runBtrfs(['subvolume', 'show', '--', hostPath]));
}

export async function snapshotReadOnly(sourceHostPath: string, destinationHostPath: string): Promise<void> {
  await runBtrfs(['subvolume', 'snapshot', '-r', '--', sourceHostPath, destinationHostPath]);
}

export async function deleteSubvolume(hostPath: string): Promise<void> {
  await runBtrfs(['subvolume', 'delete', '--', hostPath]);
}

/** `btrfs send` of `treeHostPath` (incremental against `baseHostPath`), the stream on the child's stdout. */
export function spawnSend(treeHostPath: string, baseHostPath: string | undefined): ChildProcess {
  const args = ['send', '-q', ...(baseHostPath ? ['-p', baseHostPath] : []), '--', treeHostPath];
  return spawn(BTRFS, args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `btrfs receive` into `directoryHostPath`, the stream expected on the child's stdin. */
export function spawnReceive(directoryHostPath: string): ChildProcess {
  return spawn(BTRFS, ['receive', '--', directoryHostPath], { stdio: ['pipe', 'ignore', 'pipe'] });
}

export interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Resolves when the child has exited, with the tail of its stderr; rejects only when it could not start. */
export function childOutcome(child: ChildProcess): Promise<ChildOutcome> {
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    stderr = (stderr + text).slice(-8192);
  });
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(missingBinary(error) ? new BtrfsError(NOT_INSTALLED) : error));
    child.once('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}
