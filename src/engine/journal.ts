// The write-ahead journal of an apply, under the Machine root: the plan, the checkpoint and the state before,
// written before the first change, then one synced line per change started, done or undone. A journal left
// behind means an apply was interrupted: the next apply (or `op-dbus recover`) rolls it back first.
import { constants } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Machine } from '../machine/machine.js';
import type { Change } from './change.js';

export const STATE_DIR = '/var/lib/op-dbus';
const JOURNAL_DIR = `${STATE_DIR}/journal`;
const HEADER = `${JOURNAL_DIR}/apply.json`;
const PROGRESS = `${JOURNAL_DIR}/apply.progress`;

export interface JournalHeader {
  version: 1;
  id: string;
  startedAt: string;
  pid: number;
  actor: string;
  planHash: string;
  /** Plugins whose sections the apply changes: the ones rolled back and compared afterwards. */
  plugins: string[];
  changes: Change[];
  /** Each plugin's checkpoint (may hold the machine's own secrets: the journal is root-only). */
  checkpoints: Record<string, unknown>;
  /** Config of each affected section before the first change: what a rollback must get back to. */
  configBefore: Record<string, unknown>;
  /** Config hash of the whole machine before (for the ledger). */
  stateBefore: string;
}

export type ProgressEvent = 'started' | 'done' | 'failed' | 'undone' | 'undo-failed';

export interface ProgressLine {
  change: string;
  event: ProgressEvent;
  error?: string;
}

export interface Journal {
  header: JournalHeader;
  progress: ProgressLine[];
}

async function hostPath(machine: Machine, path: string): Promise<string> {
  return machine.files.resolve(path);
}

/** Writes the header (synced) and an empty progress log; fails if a journal is already there. */
export async function startJournal(machine: Machine, header: JournalHeader): Promise<void> {
  if ((await machine.files.entry(HEADER)).kind !== 'absent')
    throw new Error(`an apply journal is already at ${HEADER}: run \`op-dbus recover\` first`);
  const directory = await hostPath(machine, JOURNAL_DIR);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  await machine.files.writeFile(HEADER, `${JSON.stringify(header)}\n`, { mode: 0o600 });
  const progress = await open(
    await hostPath(machine, PROGRESS),
    constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC,
    0o600,
  );
  await progress.sync();
  await progress.close();
}

/**
 * Appends progress lines. `started` lines must be synced before their changes run (that is what makes the
 * journal write-ahead); `done` need not be: a change whose `done` is lost is undone anyway, and undo is
 * idempotent — so one sync per phase instead of two per change.
 */
export async function recordProgress(
  machine: Machine,
  lines: ProgressLine | readonly ProgressLine[],
  { sync = true }: { sync?: boolean } = {},
): Promise<void> {
  const list = Array.isArray(lines) ? lines : [lines as ProgressLine];
  if (list.length === 0) return;
  const handle = await open(await hostPath(machine, PROGRESS), constants.O_WRONLY | constants.O_APPEND);
  try {
    await handle.write(list.map((line) => `${JSON.stringify(line)}\n`).join(''));
    if (sync) await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The journal left on the machine, or undefined when there is none (no apply was interrupted). */
export async function readJournal(machine: Machine): Promise<Journal | undefined> {
  const headerText = await machine.files.readText(HEADER);
  if (headerText === undefined) return undefined;
  let header: JournalHeader;
  try {
    header = JSON.parse(headerText) as JournalHeader;
  } catch (error) {
    throw new Error(
      `the apply journal ${HEADER} is damaged (${(error as Error).message}); inspect it, then remove ${JOURNAL_DIR}`,
    );
  }
  const progressText = (await machine.files.readText(PROGRESS)) ?? '';
  const progress: ProgressLine[] = [];
  for (const line of progressText.split('\n')) {
    if (line.trim() === '') continue;
    try {
      progress.push(JSON.parse(line) as ProgressLine);
    } catch {
      // A line torn by a crash mid-write: the change it announced is treated as started by its neighbours.
    }
  }
  return { header, progress };
}

/** Removes the journal once its apply committed or its rollback was verified. */
export async function finishJournal(machine: Machine): Promise<void> {
  await rm(await hostPath(machine, JOURNAL_DIR), { recursive: true, force: true });
  const parent = await hostPath(machine, posix.dirname(JOURNAL_DIR));
  const handle = await open(parent, constants.O_RDONLY | constants.O_DIRECTORY).catch(() => undefined);
  await handle?.sync();
  await handle?.close();
}

/** Changes that may have taken effect and are not undone yet, in the order they were started. */
export function changesToUndo(journal: Journal): Change[] {
  const started = new Set<string>();
  const undone = new Set<string>();
  for (const line of journal.progress) {
    if (line.event === 'started') started.add(line.change);
    if (line.event === 'undone') undone.add(line.change);
  }
  return journal.header.changes.filter((change) => started.has(change.id) && !undone.has(change.id));
}
