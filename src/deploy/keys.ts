// Ed25519 keys for deployment streams: each machine signs what it sends with its own key (created on first
// use under the machine root) and accepts streams signed by keys it trusts.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Machine } from '../machine/machine.js';

export const KEY_DIR = '/var/lib/op-dbus/deploy-keys';
const PRIVATE_KEY_FILE = `${KEY_DIR}/signing-key.pem`;
const PUBLIC_KEY_FILE = `${KEY_DIR}/signing-key.pub.pem`;
/** Public keys (PEM) whose streams `deploy receive` accepts without --verify-key. */
export const TRUSTED_KEY_DIR = `${KEY_DIR}/trusted`;

export interface PublicKey {
  key: KeyObject;
  /** SubjectPublicKeyInfo DER, as carried in stream headers. */
  der: Buffer;
  /** SHA-256 hex of the DER, as the ledger fingerprints its key (`openssl pkey -pubin -outform DER | sha256sum`). */
  fingerprint: string;
  /** Where the key came from, for messages. */
  source: string;
}

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: PublicKey;
}

export class KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyError';
  }
}

function publicKeyOf(key: KeyObject, source: string): PublicKey {
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyError(`${source} is not an ed25519 key`);
  const der = key.export({ type: 'spki', format: 'der' });
  return { key, der, fingerprint: fingerprintOf(der), source };
}

export function fingerprintOf(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}

export function publicKeyFromPem(pem: string, source: string): PublicKey {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new KeyError(`${source} is not a PEM public key: ${(error as Error).message}`);
  }
  return publicKeyOf(key, source);
}

export function publicKeyFromDer(der: Buffer, source: string): PublicKey {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch (error) {
    throw new KeyError(`${source} is not a DER public key: ${(error as Error).message}`);
  }
  return publicKeyOf(key, source);
}

export function publicKeyPem(key: PublicKey): string {
  return key.key.export({ type: 'spki', format: 'pem' }).toString();
}

/** The machine's signing key; created (private part 0600) the first time anything asks for it. */
export async function machineSigningKey(machine: Machine): Promise<SigningKey> {
  const pem = await machine.files.readText(PRIVATE_KEY_FILE);
  if (pem !== undefined) {
    let privateKey: KeyObject;
    try {
      privateKey = createPrivateKey({ key: pem, format: 'pem' });
    } catch (error) {
      throw new KeyError(`${PRIVATE_KEY_FILE} is not a PEM private key: ${(error as Error).message}`);
    }
    return { privateKey, publicKey: publicKeyOf(createPublicKey(privateKey), PUBLIC_KEY_FILE) };
  }
  const pair = generateKeyPairSync('ed25519');
  const publicKey = publicKeyOf(pair.publicKey, PUBLIC_KEY_FILE);
  await machine.files.writeFile(
    PRIVATE_KEY_FILE,
    pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    { mode: 0o600 },
  );
  await machine.files.writeFile(PUBLIC_KEY_FILE, publicKeyPem(publicKey));
  return { privateKey: pair.privateKey, publicKey };
}

/**
 * The keys a receive accepts: the --verify-key files when given (host paths, exactly those); otherwise the
 * machine's trusted keys and its own public key, so a stream sent and received on one machine needs no setup.
 */
export async function acceptedKeys(
  machine: Machine,
  verifyKeyFiles: readonly string[],
): Promise<PublicKey[]> {
  if (verifyKeyFiles.length > 0) {
    return Promise.all(
      verifyKeyFiles.map(async (file) => {
        let pem: string;
        try {
          pem = await readFile(file, 'utf8');
        } catch (error) {
          throw new KeyError(`cannot read --verify-key ${file}: ${(error as Error).message}`);
        }
        return publicKeyFromPem(pem, file);
      }),
    );
  }
  const keys: PublicKey[] = [];
  for (const entry of await machine.files.readDir(TRUSTED_KEY_DIR)) {
    if (entry.kind !== 'file' || !entry.name.endsWith('.pem')) continue;
    const path = posix.join(TRUSTED_KEY_DIR, entry.name);
    keys.push(publicKeyFromPem((await machine.files.readText(path)) ?? '', path));
  }
  const ownPem = await machine.files.readText(PUBLIC_KEY_FILE);
  if (ownPem !== undefined) keys.push(publicKeyFromPem(ownPem, PUBLIC_KEY_FILE));
  return keys;
}
