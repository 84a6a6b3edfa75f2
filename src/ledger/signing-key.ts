// The per-machine ed25519 key that signs the ledger: created on first use, private half mode 0600 and never
// exported; the public half (and its fingerprint) is what anyone verifies against, on or off the machine.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import type { Machine } from '../machine/machine.js';
import { LEDGER_PATHS } from './files.js';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  fingerprint: string;
}

export interface VerifyingKey {
  publicKey: KeyObject;
  fingerprint: string;
}

/** sha256 hex of the DER SubjectPublicKeyInfo: `openssl pkey -pubin -in KEY -outform DER | sha256sum`. */
export function keyFingerprint(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

export function signHash(privateKey: KeyObject, hash: string): string {
  return sign(null, Buffer.from(hash, 'ascii'), privateKey).toString('base64');
}

export function hashSignatureValid(publicKey: KeyObject, hash: string, signature: string): boolean {
  return verify(null, Buffer.from(hash, 'ascii'), publicKey, Buffer.from(signature, 'base64'));
}

/** The public key in a PEM text, or why it is not an ed25519 public key. */
export function verifyingKeyFromPem(pem: string): VerifyingKey | { problem: string } {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(pem);
  } catch (error) {
    return { problem: `not a PEM public key (${(error as Error).message})` };
  }
  if (publicKey.asymmetricKeyType !== 'ed25519')
    return { problem: `an ${publicKey.asymmetricKeyType} key, not ed25519` };
  return { publicKey, fingerprint: keyFingerprint(publicKey) };
}

function signingKeyFromPem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new Error(`${LEDGER_PATHS.privateKey} holds an ${privateKey.asymmetricKeyType} key, not ed25519`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, fingerprint: keyFingerprint(publicKey) };
}

function publicPem(key: SigningKey): string {
  return key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** The key files as found on the machine (either may be missing). */
export interface StoredKeyFiles {
  privatePem: string | undefined;
  publicPem: string | undefined;
}

export async function readKeyFiles(machine: Machine): Promise<StoredKeyFiles> {
  const [privatePem, publicPem] = await Promise.all([
    machine.files.readText(LEDGER_PATHS.privateKey),
    machine.files.readText(LEDGER_PATHS.publicKey),
  ]);
  return { privatePem, publicPem };
}

/** Generates the machine's key; the caller holds the ledger lock, so two first appends never make two keys. */
export async function createSigningKey(machine: Machine): Promise<SigningKey> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await machine.files.writeFile(LEDGER_PATHS.privateKey, pem, { mode: 0o600 });
  const key = signingKeyFromPem(pem);
  await machine.files.writeFile(LEDGER_PATHS.publicKey, publicPem(key), { mode: 0o644 });
  return key;
}

type CheckedKeys =
  | { problem: string }
  | { signing: SigningKey | undefined; verifying: VerifyingKey | undefined };

/** The files last checked and what they gave: parsing ed25519 keys costs more than the rest of an append. */
let lastChecked:
  | { privatePem: string | undefined; publicPem: string | undefined; keys: CheckedKeys }
  | undefined;

/** The stored key files read and checked against each other; a problem is evidence that one was replaced. */
function checkedKeys(files: StoredKeyFiles): CheckedKeys {
  if (lastChecked && lastChecked.privatePem === files.privatePem && lastChecked.publicPem === files.publicPem)
    return lastChecked.keys;
  const keys = parseKeys(files);
  lastChecked = { privatePem: files.privatePem, publicPem: files.publicPem, keys };
  return keys;
}

function parseKeys(files: StoredKeyFiles): CheckedKeys {
  const fromPublic = files.publicPem === undefined ? undefined : verifyingKeyFromPem(files.publicPem);
  if (fromPublic && 'problem' in fromPublic)
    return { problem: `${LEDGER_PATHS.publicKey} is ${fromPublic.problem}` };
  if (files.privatePem === undefined) return { signing: undefined, verifying: fromPublic };
  let signing: SigningKey;
  try {
    signing = signingKeyFromPem(files.privatePem);
  } catch (error) {
    return {
      problem: `${LEDGER_PATHS.privateKey} is not an ed25519 private key (${(error as Error).message})`,
    };
  }
  if (fromPublic && fromPublic.fingerprint !== signing.fingerprint)
    return {
      problem: `${LEDGER_PATHS.publicKey} does not belong to the signing key ${LEDGER_PATHS.privateKey}: one of them was replaced`,
    };
  return { signing, verifying: signing };
}

/**
 * The stored signing key for appending. The public key file is rewritten when it is missing (a crash right
 * after the private key was written); one of another key is a problem.
 */
export async function loadSigningKey(
  machine: Machine,
  files: StoredKeyFiles,
): Promise<SigningKey | { problem: string }> {
  const keys = checkedKeys(files);
  if ('problem' in keys) return keys;
  if (keys.signing === undefined) return { problem: `${LEDGER_PATHS.privateKey} is missing` };
  if (files.publicPem === undefined)
    await machine.files.writeFile(LEDGER_PATHS.publicKey, publicPem(keys.signing), { mode: 0o644 });
  return keys.signing;
}

/** The key the machine's ledger is checked against (its public key file, or the private key's public half). */
export function machineVerifyingKey(files: StoredKeyFiles): VerifyingKey | { problem: string } | undefined {
  const keys = checkedKeys(files);
  return 'problem' in keys ? keys : keys.verifying;
}
