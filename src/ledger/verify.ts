// Checking a ledger (pure: the lines, head and key are read by the caller): every entry intact, signed, in
// its place in the chain, and the signed head not ahead of the last entry. Stops at the first bad entry.
import { entryHash, GENESIS_HASH, KEY_FINGERPRINT_DETAIL, type LedgerLine, unsignedPart } from './entry.js';
import { type HeadRead, headSignatureValid } from './head.js';
import { hashSignatureValid, type VerifyingKey } from './signing-key.js';

export interface LedgerProblem {
  /** The first sequence number that is not intact in its place (absent for a problem of the head or key). */
  sequence?: number;
  /** 1-based line of entries.jsonl where it was found (absent past the last line). */
  line?: number;
  reason: string;
}

export type LedgerVerification =
  | {
      ok: true;
      /** Entries in the ledger. */
      count: number;
      /** Fingerprint of the key the entries were checked against; null for an empty ledger without a key. */
      publicKeyFingerprint: string | null;
      /** Sequence the signed head records: `count`, or less after an append interrupted before the head was written. */
      headSequence: number;
    }
  | { ok: false; count: number; firstBad: LedgerProblem };

export interface LedgerMaterial {
  lines: LedgerLine[];
  head: HeadRead;
  key: VerifyingKey | { problem: string } | undefined;
}

const shortFingerprint = (fingerprint: unknown): string =>
  typeof fingerprint === 'string' ? `${fingerprint.slice(0, 16)}…` : 'none';

/** Why the entry on `line` is not the intact entry `expected` of the chain, or undefined when it is. */
function entryProblem(
  line: LedgerLine,
  expected: number,
  previousHash: string,
  key: VerifyingKey,
  presentSequences: ReadonlySet<number>,
): string | undefined {
  if ('problem' in line) return line.problem;
  const { entry } = line;
  if (entryHash(unsignedPart(entry)) !== entry.hash)
    return 'hash mismatch: the entry was edited after it was written';
  if (entry.sequence === 1) {
    const recorded = entry.details?.[KEY_FINGERPRINT_DETAIL];
    if (recorded !== key.fingerprint)
      return `the first entry records signing key ${shortFingerprint(recorded)}, the verifying key is ${shortFingerprint(key.fingerprint)}: the key was replaced (or a wrong --public-key given)`;
  }
  if (!hashSignatureValid(key.publicKey, entry.hash, entry.signature))
    return 'signature mismatch: the entry was rewritten and re-hashed without the signing key, or signed by another key';
  if (entry.sequence < expected)
    return `sequence ${entry.sequence} again where ${expected} was expected: a duplicated or reordered entry`;
  if (entry.sequence > expected)
    return presentSequences.has(expected)
      ? `sequence ${entry.sequence} where ${expected} was expected: entries are out of order`
      : `sequence ${entry.sequence} where ${expected} was expected: ${entry.sequence - expected === 1 ? `entry ${expected} was` : `entries ${expected} to ${entry.sequence - 1} were`} deleted`;
  if (entry.previousHash !== previousHash)
    return `previous hash does not match ${expected === 1 ? 'the start of the chain' : `entry ${expected - 1}`}: an entry before it was removed, inserted or replaced`;
  if (!line.canonical) return 'the line is not in canonical form: it was reformatted or edited';
  return undefined;
}

function headProblem(
  head: HeadRead,
  key: VerifyingKey,
  hashes: readonly string[],
): LedgerProblem | undefined {
  if (head.kind === 'absent')
    return { reason: 'the head file is missing, so removal of entries from the end cannot be ruled out' };
  if (head.kind === 'problem') return { reason: head.problem };
  const { sequence, hash, publicKeyFingerprint } = head.head;
  if (publicKeyFingerprint !== key.fingerprint)
    return {
      reason: `the head names signing key ${shortFingerprint(publicKeyFingerprint)}, the verifying key is ${shortFingerprint(key.fingerprint)}: the key was replaced`,
    };
  if (!headSignatureValid(head.head, key))
    return { reason: 'head signature mismatch: the head file was rewritten without the signing key' };
  const count = hashes.length;
  if (sequence > count)
    return {
      sequence: count + 1,
      reason: `the head records sequence ${sequence} but the ledger ends at ${count}: ${sequence - count === 1 ? `entry ${sequence} was` : `entries ${count + 1} to ${sequence} were`} removed from the end`,
    };
  if (hash !== (sequence === 0 ? GENESIS_HASH : hashes[sequence - 1]))
    return {
      sequence,
      line: sequence,
      reason: `the head's hash does not match entry ${sequence}: the entries were replaced`,
    };
  return undefined;
}

export function verifyLedger({ lines, head, key }: LedgerMaterial): LedgerVerification {
  const count = lines.length;
  if (count === 0 && head.kind === 'absent')
    return {
      ok: true,
      count,
      publicKeyFingerprint: key && !('problem' in key) ? key.fingerprint : null,
      headSequence: 0,
    };
  if (key === undefined)
    return { ok: false, count, firstBad: { reason: 'both signing key files are missing' } };
  if ('problem' in key) return { ok: false, count, firstBad: { reason: key.problem } };
  const sequences = new Set(lines.flatMap((line) => ('entry' in line ? [line.entry.sequence] : [])));
  const hashes: string[] = [];
  for (const line of lines) {
    // Every line before this one held its own sequence number, so line N must hold sequence N.
    const expected = line.line;
    const problem = entryProblem(line, expected, hashes.at(-1) ?? GENESIS_HASH, key, sequences);
    if (problem !== undefined)
      return { ok: false, count, firstBad: { sequence: expected, line: line.line, reason: problem } };
    if ('entry' in line) hashes.push(line.entry.hash);
  }
  const problem = headProblem(head, key, hashes);
  if (problem) return { ok: false, count, firstBad: problem };
  return {
    ok: true,
    count,
    publicKeyFingerprint: key.fingerprint,
    headSequence: head.kind === 'head' ? head.head.sequence : 0,
  };
}
