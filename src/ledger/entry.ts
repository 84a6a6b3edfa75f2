// The ledger's entry format: what a record holds, how an entry is hashed, and how a stored line is read back.
import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../state/canonical.js';
import { describeZodIssues } from '../state/document.js';

/** What a caller records: who did what, to which state, with what result. */
export interface LedgerRecord {
  /** Who: e.g. "root (uid 0)", "alice (uid 1000) via sudo", "dbus uid 1000". */
  actor: string;
  /** discover | apply | rollback | recover | deploy-snapshot | … (`/^[a-z][a-z0-9-]*$/`). */
  action: string;
  /** sha256 hex of the plan, when there is one. */
  planHash: string | null;
  /** Config hash before (sha256 hex). */
  stateBefore: string | null;
  /** Config hash after (sha256 hex). */
  stateAfter: string | null;
  /** ok | failed | rolled-back | rollback-incomplete | refused | … (same grammar as `action`). */
  result: string;
  /** Small JSON: counts, names, messages; never secrets. */
  details?: Record<string, unknown>;
}

/** A record as stored: numbered, timed, chained to the entry before it and signed. */
export interface LedgerEntry extends LedgerRecord {
  sequence: number;
  /** ISO 8601 UTC. */
  time: string;
  /** `hash` of the entry before; 64 zeros for the first. */
  previousHash: string;
  /** sha256 hex of the canonical JSON of every other field except `signature`. */
  hash: string;
  /** base64 ed25519 signature over the ASCII text of `hash`. */
  signature: string;
}

export type UnsignedEntry = Omit<LedgerEntry, 'hash' | 'signature'>;

export const GENESIS_HASH = '0'.repeat(64);
/** Key in the first entry's details naming the key that signs the ledger, so a swapped key is named as such. */
export const KEY_FINGERPRINT_DETAIL = 'signingKeyFingerprint';
/** Entries are meant to be small; a bigger `details` is a caller's mistake (or an attempt to fill the disk). */
export const MAX_DETAILS_BYTES = 16 * 1024;

const MAX_PROBLEMS_SHOWN = 3;
const NAME = /^[a-z][a-z0-9-]*$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const recordShape = {
  actor: z
    .string()
    .min(1)
    .max(256)
    .refine((text) => !/[\p{Cc}]/u.test(text), 'must not contain control characters'),
  action: z.string().max(64).regex(NAME, 'must match /^[a-z][a-z0-9-]*$/'),
  planHash: z.string().regex(SHA256_HEX, 'must be a sha256 hex digest').nullable(),
  stateBefore: z.string().regex(SHA256_HEX, 'must be a sha256 hex digest').nullable(),
  stateAfter: z.string().regex(SHA256_HEX, 'must be a sha256 hex digest').nullable(),
  result: z.string().max(64).regex(NAME, 'must match /^[a-z][a-z0-9-]*$/'),
  details: z
    .record(z.string(), z.json())
    .refine((details) => canonicalJson(details).length <= MAX_DETAILS_BYTES, {
      message: `must be at most ${MAX_DETAILS_BYTES} bytes of JSON`,
    })
    .optional(),
};

const recordSchema = z.strictObject(recordShape);

const entrySchema = z.strictObject({
  ...recordShape,
  sequence: z.number().int().positive(),
  time: z.iso.datetime({ message: 'must be an ISO 8601 UTC time' }),
  previousHash: z.string().regex(SHA256_HEX, 'must be a sha256 hex digest'),
  hash: z.string().regex(SHA256_HEX, 'must be a sha256 hex digest'),
  signature: z.string().regex(BASE64, 'must be base64'),
});

export class InvalidLedgerRecordError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid ledger record: ${problems.join('; ')}`);
    this.name = 'InvalidLedgerRecordError';
  }
}

/** The record with only the fields a ledger stores, or an error naming the JSON path of each problem. */
export function validateRecord(record: LedgerRecord): LedgerRecord {
  const result = recordSchema.safeParse(record);
  if (!result.success) throw new InvalidLedgerRecordError(describeZodIssues(result.error.issues));
  return result.data as LedgerRecord;
}

export function entryHash(entry: UnsignedEntry): string {
  return sha256Hex(canonicalJson(entry));
}

/** The fields an entry's hash covers: all of them but the hash and the signature. */
export function unsignedPart(entry: LedgerEntry): UnsignedEntry {
  const { hash: _hash, signature: _signature, ...unsigned } = entry;
  return unsigned;
}

/** One line of entries.jsonl as read back: an entry, or why it is not one. */
export type LedgerLine =
  | { line: number; entry: LedgerEntry; canonical: boolean }
  | { line: number; problem: string };

/** Splits the file into lines; a last line without its newline is an interrupted or truncated write. */
export function parseLedgerText(text: string): LedgerLine[] {
  if (text === '') return [];
  const texts = text.split('\n');
  const complete = texts.at(-1) === '';
  if (complete) texts.pop();
  return texts.map((lineText, index) => {
    const line = index + 1;
    if (!complete && line === texts.length)
      return {
        line,
        problem: 'the line is incomplete (no final newline): truncated or an interrupted write',
      };
    return parseEntryLine(lineText, line);
  });
}

function parseEntryLine(text: string, line: number): LedgerLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { line, problem: 'not valid JSON (edited or truncated)' };
  }
  const result = entrySchema.safeParse(value);
  if (!result.success) {
    const problems = describeZodIssues(result.error.issues);
    const more =
      problems.length > MAX_PROBLEMS_SHOWN ? ` (and ${problems.length - MAX_PROBLEMS_SHOWN} more)` : '';
    return {
      line,
      problem: `not a ledger entry: ${problems.slice(0, MAX_PROBLEMS_SHOWN).join('; ')}${more}`,
    };
  }
  const entry = result.data as LedgerEntry;
  return { line, entry, canonical: canonicalJson(entry) === text };
}
