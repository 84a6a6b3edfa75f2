import { appendFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Machine } from '../machine/machine.js';
import type { Change } from './change.js';
import {
  changesToUndo,
  finishJournal,
  type Journal,
  type JournalHeader,
  type ProgressLine,
  readJournal,
  recordProgress,
  STATE_DIR,
  startJournal,
} from './journal.js';

const JOURNAL_DIR = 'var/lib/op-dbus/journal';
let root: string;
let machine: Machine;

function change(id: string): Change {
  return {
    id,
    plugin: 'systemd',
    kind: 'unit-file',
    action: 'update',
    target: id,
    phase: 'files',
    description: id,
    reason: 'test',
    risk: 'low',
  };
}

function header(changes: Change[] = [change('a'), change('b'), change('c')]): JournalHeader {
  return {
    version: 1,
    id: 'apply-1',
    startedAt: '2026-11-22T00:00:00.000Z',
    pid: 4242,
    actor: 'root',
    planHash: 'f'.repeat(64),
    plugins: ['systemd'],
    changes,
    checkpoints: { systemd: { files: { '/etc/x': { kind: 'absent' } } } },
    configBefore: { systemd: { unitFiles: {} } },
    stateBefore: 'e'.repeat(64),
  };
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-journal-'));
  machine = new Machine({ root, busAddress: 'unix:path=/nonexistent' });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('apply journal', () => {
  it('is absent until an apply starts', async () => {
    expect(await readJournal(machine)).toBeUndefined();
  });

  it('reads back the header and every progress line in order, under a root-only directory', async () => {
    const lines: ProgressLine[] = [
      { change: 'a', event: 'started' },
      { change: 'a', event: 'done' },
      { change: 'b', event: 'started' },
      { change: 'b', event: 'failed', error: 'timed out' },
    ];
    await startJournal(machine, header());
    expect(await readJournal(machine)).toEqual({ header: header(), progress: [] });
    for (const line of lines) await recordProgress(machine, line);
    expect(await readJournal(machine)).toEqual({ header: header(), progress: lines });
    expect((await stat(join(root, JOURNAL_DIR))).mode & 0o777).toBe(0o700);
    expect((await stat(join(root, JOURNAL_DIR, 'apply.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(root, JOURNAL_DIR, 'apply.progress'))).mode & 0o777).toBe(0o600);
  });

  it('tolerates a last progress line torn by a crash', async () => {
    await startJournal(machine, header());
    await recordProgress(machine, { change: 'a', event: 'started' });
    await appendFile(join(root, JOURNAL_DIR, 'apply.progress'), '{"change":"a","ev');
    expect((await readJournal(machine))?.progress).toEqual([{ change: 'a', event: 'started' }]);
  });

  it('refuses a damaged header, naming the file and what to do', async () => {
    await startJournal(machine, header());
    await writeFile(join(root, JOURNAL_DIR, 'apply.json'), '{"version":1,');
    await expect(readJournal(machine)).rejects.toThrow(
      /apply\.json is damaged.*remove \/var\/lib\/op-dbus\/journal/,
    );
  });

  it('is gone once finished, while the state directory stays', async () => {
    await startJournal(machine, header());
    await recordProgress(machine, { change: 'a', event: 'started' });
    await finishJournal(machine);
    expect(await readJournal(machine)).toBeUndefined();
    expect(await machine.files.exists(STATE_DIR)).toBe(true);
    expect(await machine.files.exists(`${STATE_DIR}/journal`)).toBe(false);
    await finishJournal(machine);
  });

  it('refuses to start over a journal left by an interrupted apply', async () => {
    await startJournal(machine, header());
    await recordProgress(machine, { change: 'a', event: 'started' });
    await expect(startJournal(machine, { ...header(), id: 'apply-2' })).rejects.toThrow();
    expect(await readJournal(machine)).toEqual({
      header: header(),
      progress: [{ change: 'a', event: 'started' }],
    });
  });
});

describe('changesToUndo', () => {
  const journalOf = (progress: ProgressLine[]): Journal => ({ header: header(), progress });

  it('lists changes started and not undone, in plan order, whether they finished, failed or not', () => {
    const journal = journalOf([
      { change: 'c', event: 'started' },
      { change: 'a', event: 'started' },
      { change: 'a', event: 'done' },
      { change: 'c', event: 'failed', error: 'x' },
    ]);
    expect(changesToUndo(journal).map((item) => item.id)).toEqual(['a', 'c']);
  });

  it('leaves out changes never started and changes already undone, but keeps failed undos', () => {
    const journal = journalOf([
      { change: 'a', event: 'started' },
      { change: 'b', event: 'started' },
      { change: 'c', event: 'started' },
      { change: 'b', event: 'undone' },
      { change: 'c', event: 'undo-failed', error: 'x' },
    ]);
    expect(changesToUndo(journal).map((item) => item.id)).toEqual(['a', 'c']);
    expect(changesToUndo(journalOf([]))).toEqual([]);
  });

  it('undoes nothing of a change recorded only by a torn line', async () => {
    await startJournal(machine, header());
    await recordProgress(machine, { change: 'a', event: 'started' });
    await appendFile(join(root, JOURNAL_DIR, 'apply.progress'), '{"change":"b","event":"sta');
    const journal = (await readJournal(machine)) as Journal;
    expect(changesToUndo(journal).map((item) => item.id)).toEqual(['a']);
  });
});
