// A lock file that serialises work across processes (ledger appends, applies): created atomically with its
// holder's pid, and broken when that pid is dead (a crashed holder). Pids are only meaningful in one pid
// namespace, so processes locking one file from different containers are not protected from each other.
import { randomBytes } from 'node:crypto';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
const POLL_MS = 20;

interface Holder {
  pid: number;
  token: string;
}

export class LockBusyError extends Error {
  constructor(
    readonly path: string,
    readonly holderPid: number | undefined,
  ) {
    super(
      `${path} is held by ${holderPid === undefined ? 'another process' : `pid ${holderPid}`}; try again when it has finished`,
    );
    this.name = 'LockBusyError';
  }
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException).code === code;
}

async function readHolder(path: string): Promise<Holder | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  const match = /^(\d+) ([0-9a-f]+)\n$/.exec(text);
  return match ? { pid: Number(match[1]), token: match[2] as string } : { pid: Number.NaN, token: '' };
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isCode(error, 'EPERM');
  }
}

/** One attempt: the holder's line is written to a private file first, so the lock never exists half-written. */
async function tryAcquire(path: string, holder: Holder): Promise<boolean> {
  const staging = `${path}.${holder.pid}.${holder.token}`;
  await writeFile(staging, `${holder.pid} ${holder.token}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(staging, path);
    return true;
  } catch (error) {
    if (isCode(error, 'EEXIST')) return false;
    throw error;
  } finally {
    await rm(staging, { force: true });
  }
}

/**
 * Removes a lock whose holder is dead. It is moved aside first and checked, because another process may have
 * broken it and locked anew since we read it; that fresh lock is put back.
 */
async function breakStaleLock(path: string, stale: Holder): Promise<void> {
  const aside = `${path}.stale.${process.pid}.${randomBytes(6).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return;
    throw error;
  }
  try {
    const moved = await readHolder(aside);
    if (moved && moved.token !== stale.token) await link(aside, path).catch(() => undefined);
  } finally {
    await rm(aside, { force: true });
  }
}

async function release(path: string, holder: Holder): Promise<void> {
  const current = await readHolder(path);
  if (current?.token === holder.token) await rm(path, { force: true });
}

/** Runs `work` while holding the lock file at host path `path`. */
export async function withFileLock<T>(
  path: string,
  work: () => Promise<T>,
  timeoutMs = DEFAULT_LOCK_TIMEOUT_MS,
): Promise<T> {
  const holder: Holder = { pid: process.pid, token: randomBytes(8).toString('hex') };
  const deadline = Date.now() + timeoutMs;
  while (!(await tryAcquire(path, holder))) {
    const current = await readHolder(path);
    if (current === undefined) continue;
    if (!processAlive(current.pid)) {
      await breakStaleLock(path, current);
      continue;
    }
    if (Date.now() >= deadline) throw new LockBusyError(path, current.pid);
    await sleep(POLL_MS);
  }
  try {
    return await work();
  } finally {
    await release(path, holder);
  }
}
