// The signed parts of a deployment stream: the header (manifest and incremental base, checked before anything
// is written) and the trailer (SHA-256 and length of the btrfs stream, bound to that exact header).
import { createHash, sign, verify } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../state/canonical.js';
import { describeZodIssues } from '../state/document.js';
import { type PublicKey, publicKeyFromDer, type SigningKey } from './keys.js';
import { versionNameSchema } from './layout.js';
import { type Manifest, manifestSchema } from './manifest.js';

export const STREAM_FORMAT = 'op-dbus-deploy-stream/1';
// Distinct prefixes, so a header signature can never pass as a trailer signature or anything else.
const HEADER_CONTEXT = 'op-dbus deploy header v1\n';
const TRAILER_CONTEXT = 'op-dbus deploy trailer v1\n';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');

const unsignedHeaderSchema = z
  .object({
    format: z.literal(STREAM_FORMAT),
    manifest: manifestSchema,
    base: z
      .object({ name: versionNameSchema, uuid: z.string() })
      .strict()
      .nullable()
      .describe('The version this incremental stream is relative to; null for a full stream'),
    signer: z
      .object({ algorithm: z.literal('ed25519'), publicKey: base64, fingerprint: z.string() })
      .strict(),
  })
  .strict();
const headerSchema = unsignedHeaderSchema.extend({ signature: base64 });

const unsignedTrailerSchema = z
  .object({
    headerSha256: sha256Hex,
    streamSha256: sha256Hex,
    streamBytes: z.number().int().nonnegative(),
  })
  .strict();
const trailerSchema = unsignedTrailerSchema.extend({ signature: base64 });

export type StreamHeader = z.infer<typeof headerSchema>;
export type StreamTrailer = z.infer<typeof trailerSchema>;
export type StreamBase = StreamHeader['base'];

export class StreamVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamVerificationError';
  }
}

function signedBytes(context: string, value: unknown): Buffer {
  return Buffer.from(context + canonicalJson(value), 'utf8');
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function signedHeaderJson(manifest: Manifest, base: StreamBase, key: SigningKey): string {
  const unsigned = {
    format: STREAM_FORMAT,
    manifest,
    base,
    signer: {
      algorithm: 'ed25519' as const,
      publicKey: key.publicKey.der.toString('base64'),
      fingerprint: key.publicKey.fingerprint,
    },
  };
  const signature = sign(null, signedBytes(HEADER_CONTEXT, unsigned), key.privateKey).toString('base64');
  return JSON.stringify({ ...unsigned, signature });
}

export function signedTrailerJson(
  values: { headerSha256: string; streamSha256: string; streamBytes: number },
  key: SigningKey,
): string {
  const signature = sign(null, signedBytes(TRAILER_CONTEXT, values), key.privateKey).toString('base64');
  return JSON.stringify({ ...values, signature });
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new StreamVerificationError(`the stream's ${what} is not JSON (damaged stream)`);
  }
}

function validated<T>(value: unknown, schema: z.ZodType<T>, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new StreamVerificationError(
      `the stream's ${what} is invalid: ${describeZodIssues(result.error.issues).join('; ')}`,
    );
  return result.data;
}

/**
 * Parses the header and checks its signature against the accepted keys (not against the key it carries: that
 * only says which accepted key to use). Unsigned, damaged or foreign-signed headers are refused.
 */
export function verifyHeader(
  bytes: Buffer,
  accepted: readonly PublicKey[],
): { header: StreamHeader; signer: PublicKey } {
  const raw = parseJson(bytes, 'header');
  if (typeof raw === 'object' && raw !== null && !('signature' in raw))
    throw new StreamVerificationError('the stream is not signed; refusing it');
  const header = validated(raw, headerSchema, 'header');
  const carried = publicKeyFromDer(Buffer.from(header.signer.publicKey, 'base64'), 'the stream header');
  const signer = accepted.find((key) => key.der.equals(carried.der));
  if (!signer)
    throw new StreamVerificationError(
      `the stream is signed by key ${carried.fingerprint}, which is not accepted here` +
        (accepted.length === 0
          ? ' (no keys are trusted: give --verify-key)'
          : ` (accepted: ${accepted.map((key) => key.fingerprint).join(', ')})`),
    );
  const { signature, ...unsigned } = header;
  if (!verify(null, signedBytes(HEADER_CONTEXT, unsigned), signer.key, Buffer.from(signature, 'base64')))
    throw new StreamVerificationError(
      `the stream header's signature does not verify with key ${signer.fingerprint}`,
    );
  return { header, signer };
}

/** Checks the trailer against what was actually read: the header's hash, the stream's hash and length. */
export function verifyTrailer(
  bytes: Buffer,
  signer: PublicKey,
  observed: { headerSha256: string; streamSha256: string; streamBytes: number },
): StreamTrailer {
  const trailer = validated(parseJson(bytes, 'trailer'), trailerSchema, 'trailer');
  const { signature, ...unsigned } = trailer;
  if (!verify(null, signedBytes(TRAILER_CONTEXT, unsigned), signer.key, Buffer.from(signature, 'base64')))
    throw new StreamVerificationError(
      `the stream trailer's signature does not verify with key ${signer.fingerprint}`,
    );
  if (trailer.headerSha256 !== observed.headerSha256)
    throw new StreamVerificationError('the trailer belongs to a different header');
  if (trailer.streamBytes !== observed.streamBytes)
    throw new StreamVerificationError(
      `the stream has ${observed.streamBytes} bytes, the trailer says ${trailer.streamBytes}`,
    );
  if (trailer.streamSha256 !== observed.streamSha256)
    throw new StreamVerificationError(
      `the stream's SHA-256 is ${observed.streamSha256}, the signed trailer says ${trailer.streamSha256}`,
    );
  return trailer;
}
