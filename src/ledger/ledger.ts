// The audit ledger under the Machine root: append-only, hash-chained, each entry signed by the machine's
// ed25519 key, with a signed head so removed tail entries show. Every discover/apply/rollback is recorded here.
import type { Machine } from '../machine/machine.js';
import { canonicalJson } from '../state/canonical.js';
import { DEFAULT_LOCK_TIMEOUT_MS, withFileLock } from '../util/file-lock.js';
import {
  entryHash,
  GENESIS_HASH,
  KEY_FINGERPRINT_DETAIL,
  type LedgerEntry,
  type LedgerLine,
  type LedgerRecord,
  parseLedgerText,
  type UnsignedEntry,
  unsignedPart,
  validateRecord,
} from './entry.js';
import { appendToFile, ensureLedgerDirectory, type FileTail, LEDGER_PATHS, readLastLine } from './files.js';
import { type HeadRead, headSignatureValid, readHead, signedHead, writeHead } from './head.js';
import {
  createSigningKey,
  hashSignatureValid,
  loadSigningKey,
  machineVerifyingKey,
  readKeyFiles,
  type SigningKey,
  type StoredKeyFiles,
  signHash,
  verifyingKeyFromPem,
} from './signing-key.js';
import { type LedgerVerification, verifyLedger } from './verify.js';

export { currentActor } from './actor.js';
export type { LedgerEntry, LedgerLine, LedgerRecord } from './entry.js';
export { LEDGER_PATHS } from './files.js';
export type { LedgerProblem, LedgerVerification } from './verify.js';

export interface LedgerStats {
  count: number;
  firstTime: string | null;
  lastTime: string | null;
  lastSequence: number | null;
  lastHash: string | null;
  byAction: Record<string, number>;
  byResult: Record<string, number>;
}

export interface LedgerOptions {
  /** How long an append waits for another process's append before giving up. */
  lockTimeoutMs?: number;
}

/** The ledger is damaged or tampered with: appending onto it would hide that, so appends are refused. */
export class LedgerDamagedError extends Error {
  constructor(root: string, reason: string) {
    super(
      `cannot append to the ledger in ${LEDGER_PATHS.directory} under ${root}: ${reason}; run \`op-dbus ledger verify\``,
    );
    this.name = 'LedgerDamagedError';
  }
}

/** The ledger's entries.jsonl has a line that is not an entry. */
export class LedgerFormatError extends Error {
  constructor(line: number, problem: string) {
    super(`line ${line} of ${LEDGER_PATHS.entries}: ${problem}; run \`op-dbus ledger verify\``);
    this.name = 'LedgerFormatError';
  }
}

interface ChainEnd {
  sequence: number;
  hash: string;
}

export function openLedger(machine: Machine, options: LedgerOptions = {}): Ledger {
  return new Ledger(machine, options);
}

export class Ledger {
  constructor(
    private readonly machine: Machine,
    private readonly options: LedgerOptions = {},
  ) {}

  /** Records one entry; appends from other processes wait for each other (a lock file), each is synced. */
  async append(record: LedgerRecord, now?: Date): Promise<LedgerEntry> {
    const valid = validateRecord(record);
    const givenTime = now?.toISOString();
    await ensureLedgerDirectory(this.machine);
    const lockPath = await this.machine.files.resolve(LEDGER_PATHS.lock);
    return withFileLock(
      lockPath,
      // Without a given time, the clock is read once the lock is held, so times follow the order of entries.
      () => this.appendLocked(valid, givenTime ?? new Date().toISOString()),
      this.options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    );
  }

  private async appendLocked(record: LedgerRecord, time: string): Promise<LedgerEntry> {
    const [tail, head, keyFiles] = await Promise.all([
      readLastLine(this.machine, LEDGER_PATHS.entries),
      readHead(this.machine),
      readKeyFiles(this.machine),
    ]);
    const key = await this.keyForAppend(keyFiles, tail.kind !== 'empty', head);
    const end = this.chainEnd(tail, key);
    await this.checkHeadForAppend(head, end, key);
    const sequence = (end?.sequence ?? 0) + 1;
    const { details: givenDetails, ...fields } = record;
    // The first entry names the key, so a ledger re-signed with a swapped key says so instead of just failing.
    const details =
      sequence === 1 ? { ...givenDetails, [KEY_FINGERPRINT_DETAIL]: key.fingerprint } : givenDetails;
    const unsigned: UnsignedEntry = {
      ...fields,
      ...(details === undefined ? {} : { details }),
      sequence,
      time,
      previousHash: end?.hash ?? GENESIS_HASH,
    };
    const hash = entryHash(unsigned);
    const entry: LedgerEntry = { ...unsigned, hash, signature: signHash(key.privateKey, hash) };
    await appendToFile(this.machine, LEDGER_PATHS.entries, `${canonicalJson(entry)}\n`);
    await writeHead(this.machine, signedHead(key, sequence, hash));
    return entry;
  }

  private damaged(reason: string): LedgerDamagedError {
    return new LedgerDamagedError(this.machine.root, reason);
  }

  /** The entry the next one chains onto; it is checked, because chaining onto a forged entry would bless it. */
  private chainEnd(tail: FileTail, key: SigningKey): ChainEnd | undefined {
    if (tail.kind === 'empty') return undefined;
    if (tail.kind === 'incomplete')
      throw this.damaged('its last line is incomplete (truncated, or an interrupted write)');
    const [parsed] = parseLedgerText(`${tail.text}\n`);
    if (!parsed || 'problem' in parsed) throw this.damaged(`its last line is ${parsed?.problem ?? 'empty'}`);
    if (entryHash(unsignedPart(parsed.entry)) !== parsed.entry.hash)
      throw this.damaged(`its last entry (sequence ${parsed.entry.sequence}) was edited`);
    if (!hashSignatureValid(key.publicKey, parsed.entry.hash, parsed.entry.signature))
      throw this.damaged(
        `its last entry (sequence ${parsed.entry.sequence}) is not signed by the signing key`,
      );
    return parsed.entry;
  }

  /** The machine's key, created on the first append only: a new key for an existing ledger would not verify it. */
  private async keyForAppend(
    files: StoredKeyFiles,
    hasEntries: boolean,
    head: HeadRead,
  ): Promise<SigningKey> {
    if (files.privatePem !== undefined) {
      const key = await loadSigningKey(this.machine, files);
      if ('problem' in key) throw this.damaged(key.problem);
      return key;
    }
    if (hasEntries || head.kind !== 'absent' || files.publicPem !== undefined)
      throw this.damaged(
        `its signing key ${LEDGER_PATHS.privateKey} is missing (restore it from a backup, or move the ledger directory aside to start a new ledger)`,
      );
    return createSigningKey(this.machine);
  }

  private async checkHeadForAppend(
    head: HeadRead,
    end: ChainEnd | undefined,
    key: SigningKey,
  ): Promise<void> {
    if (head.kind === 'problem') throw this.damaged(head.problem);
    if (head.kind === 'absent') {
      if (end !== undefined) throw this.damaged(`its head file ${LEDGER_PATHS.head} is missing`);
      // Written before the first entry, so from then on a ledger without its head is always suspect.
      await writeHead(this.machine, signedHead(key, 0, GENESIS_HASH));
      return;
    }
    const { sequence, hash, publicKeyFingerprint } = head.head;
    if (publicKeyFingerprint !== key.fingerprint || !headSignatureValid(head.head, key))
      throw this.damaged('its head is not signed by the signing key');
    const endSequence = end?.sequence ?? 0;
    if (sequence > endSequence)
      throw this.damaged(`the head records sequence ${sequence} but the entries end at ${endSequence}`);
    if (sequence === endSequence && hash !== (end?.hash ?? GENESIS_HASH))
      throw this.damaged(`the head does not match the last entry (sequence ${endSequence})`);
  }

  /** Every line of entries.jsonl, parsed: an entry, or why the line is not one. */
  async lines(): Promise<LedgerLine[]> {
    return parseLedgerText((await this.machine.files.readText(LEDGER_PATHS.entries)) ?? '');
  }

  /** Every entry in file order; a line that is not an entry is an error naming it (verify explains more). */
  async entries(): Promise<LedgerEntry[]> {
    return (await this.lines()).map((line) => {
      if ('problem' in line) throw new LedgerFormatError(line.line, line.problem);
      return line.entry;
    });
  }

  /**
   * Checks every entry and the head against the machine's public key, or `publicKeyPem` (a copy kept off the
   * machine). Tampering is a result (`ok: false`); an unreadable ledger or a bad given key is thrown.
   */
  async verify(options: { publicKeyPem?: string } = {}): Promise<LedgerVerification> {
    const [lines, head] = await Promise.all([this.lines(), readHead(this.machine)]);
    if (options.publicKeyPem === undefined)
      return verifyLedger({ lines, head, key: machineVerifyingKey(await readKeyFiles(this.machine)) });
    const key = verifyingKeyFromPem(options.publicKeyPem);
    if ('problem' in key) throw new Error(`the given public key is ${key.problem}`);
    return verifyLedger({ lines, head, key });
  }

  async stats(): Promise<LedgerStats> {
    const entries = await this.entries();
    const first = entries.at(0);
    const last = entries.at(-1);
    return {
      count: entries.length,
      firstTime: first?.time ?? null,
      lastTime: last?.time ?? null,
      lastSequence: last?.sequence ?? null,
      lastHash: last?.hash ?? null,
      byAction: countBy(entries, (entry) => entry.action),
      byResult: countBy(entries, (entry) => entry.result),
    };
  }
}

function countBy(
  entries: readonly LedgerEntry[],
  keyOf: (entry: LedgerEntry) => string,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of entries) counts[keyOf(entry)] = (counts[keyOf(entry)] ?? 0) + 1;
  return counts;
}
