// A ledger with a few entries in a temporary Machine root, and raw access to its files for tampering tests.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entryHash, unsignedPart } from '../../src/ledger/entry.js';
import {
  LEDGER_PATHS,
  type Ledger,
  type LedgerEntry,
  type LedgerRecord,
  openLedger,
} from '../../src/ledger/ledger.js';
import { Machine } from '../../src/machine/machine.js';
import { sha256Hex } from '../../src/state/canonical.js';

const ACTIONS = ['discover', 'apply', 'rollback', 'recover', 'deploy-snapshot'];

export function sampleRecord(index: number): LedgerRecord {
  return {
    actor: 'root (uid 0)',
    action: ACTIONS[index % ACTIONS.length] as string,
    planHash: index % 2 === 0 ? sha256Hex(`plan ${index}`) : null,
    stateBefore: sha256Hex(`state ${index}`),
    stateAfter: sha256Hex(`state ${index + 1}`),
    result: index % 3 === 2 ? 'rolled-back' : 'ok',
    details: { changes: index, plugins: ['systemd', 'kernel'] },
  };
}

/** An entry with its hash recomputed, as someone without the signing key could make it. */
export const rehashed = (entry: LedgerEntry): LedgerEntry => ({
  ...entry,
  hash: entryHash(unsignedPart(entry)),
});

export interface LedgerFixture {
  root: string;
  machine: Machine;
  ledger: Ledger;
  /** Host path of a ledger file, e.g. `hostPath('entries')`. */
  hostPath(file: keyof typeof LEDGER_PATHS): string;
  /** The lines of entries.jsonl, without the final newline. */
  readLines(): string[];
  writeLines(lines: readonly string[]): void;
  remove(): void;
}

export async function createLedgerFixture(count: number): Promise<LedgerFixture> {
  const root = mkdtempSync(join(tmpdir(), 'op-dbus-ledger-'));
  const machine = new Machine({ root });
  const ledger = openLedger(machine);
  for (let index = 0; index < count; index++)
    await ledger.append(sampleRecord(index), new Date(Date.UTC(2025, 0, 1, 12, index)));
  const hostPath = (file: keyof typeof LEDGER_PATHS) => join(root, LEDGER_PATHS[file]);
  return {
    root,
    machine,
    ledger,
    hostPath,
    readLines: () => readFileSync(hostPath('entries'), 'utf8').split('\n').slice(0, -1),
    writeLines: (lines) => writeFileSync(hostPath('entries'), lines.map((line) => `${line}\n`).join('')),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
