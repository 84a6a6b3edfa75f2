// The signed head file: the last sequence and hash, rewritten on each append. The chain alone cannot show
// that entries were cut off its end; a head that is ahead of the entries can.
import { z } from 'zod';
import type { Machine } from '../machine/machine.js';
import { canonicalJson, sha256Hex } from '../state/canonical.js';
import { describeZodIssues } from '../state/document.js';
import { LEDGER_PATHS } from './files.js';
import { hashSignatureValid, type SigningKey, signHash, type VerifyingKey } from './signing-key.js';

export interface LedgerHead {
  /** Sequence of the last entry; 0 before the first. */
  sequence: number;
  /** Hash of that entry; 64 zeros before the first. */
  hash: string;
  publicKeyFingerprint: string;
  /** base64 ed25519 over the sha256 hex of the canonical JSON of the other fields. */
  signature: string;
}

export type HeadRead =
  | { kind: 'absent' }
  | { kind: 'problem'; problem: string }
  | { kind: 'head'; head: LedgerHead };

const headSchema = z.strictObject({
  sequence: z.number().int().nonnegative(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  publicKeyFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
});

function headHash(head: Omit<LedgerHead, 'signature'>): string {
  return sha256Hex(canonicalJson(head));
}

export function signedHead(key: SigningKey, sequence: number, hash: string): LedgerHead {
  const unsigned = { sequence, hash, publicKeyFingerprint: key.fingerprint };
  return { ...unsigned, signature: signHash(key.privateKey, headHash(unsigned)) };
}

export function headSignatureValid(head: LedgerHead, key: VerifyingKey): boolean {
  const { signature, ...unsigned } = head;
  return hashSignatureValid(key.publicKey, headHash(unsigned), signature);
}

export async function readHead(machine: Machine): Promise<HeadRead> {
  const text = await machine.files.readText(LEDGER_PATHS.head);
  if (text === undefined) return { kind: 'absent' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'problem', problem: `${LEDGER_PATHS.head} is not valid JSON` };
  }
  const result = headSchema.safeParse(value);
  if (!result.success)
    return {
      kind: 'problem',
      problem: `${LEDGER_PATHS.head} is not a ledger head: ${describeZodIssues(result.error.issues).join('; ')}`,
    };
  return { kind: 'head', head: result.data };
}

export async function writeHead(machine: Machine, head: LedgerHead): Promise<void> {
  await machine.files.writeFile(LEDGER_PATHS.head, `${canonicalJson(head)}\n`, { mode: 0o600 });
}
