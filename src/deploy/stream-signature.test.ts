import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { publicKeyFromDer, type SigningKey } from './keys.js';
import { MANIFEST_FORMAT, type Manifest } from './manifest.js';
import {
  sha256,
  signedHeaderJson,
  signedTrailerJson,
  verifyHeader,
  verifyTrailer,
} from './stream-signature.js';

function newKey(): SigningKey {
  const pair = generateKeyPairSync('ed25519');
  return {
    privateKey: pair.privateKey,
    publicKey: publicKeyFromDer(pair.publicKey.export({ type: 'spki', format: 'der' }), 'test'),
  };
}

const manifest: Manifest = {
  format: MANIFEST_FORMAT,
  name: 'v2',
  parent: 'v1',
  uuid: '917b1026-62d0-c642-879e-e027a5edb401',
  generation: 22,
  created: '2026-11-22T04:36:32.751Z',
  sourceHost: 'web-01',
  sizes: { files: 3, directories: 1, symlinks: 0, bytes: 10 },
};
const base = { name: 'v1', uuid: 'f3cc55e3-5310-8544-93cb-390cf611ee69' };

describe('stream signatures', () => {
  const signer = newKey();
  const headerBytes = Buffer.from(signedHeaderJson(manifest, base, signer));

  it('accepts a header signed by an accepted key and returns its manifest', () => {
    const { header, signer: used } = verifyHeader(headerBytes, [newKey().publicKey, signer.publicKey]);
    expect(header.manifest).toEqual(manifest);
    expect(header.base).toEqual(base);
    expect(used.fingerprint).toBe(signer.publicKey.fingerprint);
  });

  it('refuses a header signed by another key, an unsigned header and an edited one', () => {
    expect(() => verifyHeader(headerBytes, [newKey().publicKey])).toThrow(/not accepted here/);
    expect(() => verifyHeader(headerBytes, [])).toThrow(/give --verify-key/);
    const { signature: _, ...unsigned } = JSON.parse(headerBytes.toString());
    expect(() => verifyHeader(Buffer.from(JSON.stringify(unsigned)), [signer.publicKey])).toThrow(
      /not signed/,
    );
    const edited = Buffer.from(headerBytes.toString().replace('"web-01"', '"web-02"'));
    expect(() => verifyHeader(edited, [signer.publicKey])).toThrow(/signature does not verify/);
  });

  it('refuses a header whose manifest is invalid, naming the JSON path', () => {
    const bad = signedHeaderJson({ ...manifest, name: '../etc' }, null, signer);
    expect(() => verifyHeader(Buffer.from(bad), [signer.publicKey])).toThrow(/\$\.manifest\.name/);
  });

  it('binds the trailer to the header, the stream hash and its length', () => {
    const observed = { headerSha256: sha256(headerBytes), streamSha256: 'a'.repeat(64), streamBytes: 100 };
    const trailer = Buffer.from(signedTrailerJson(observed, signer));
    expect(verifyTrailer(trailer, signer.publicKey, observed).streamBytes).toBe(100);
    expect(() =>
      verifyTrailer(trailer, signer.publicKey, { ...observed, streamSha256: 'b'.repeat(64) }),
    ).toThrow(/SHA-256/);
    expect(() => verifyTrailer(trailer, signer.publicKey, { ...observed, streamBytes: 99 })).toThrow(
      /99 bytes/,
    );
    expect(() =>
      verifyTrailer(trailer, signer.publicKey, { ...observed, headerSha256: 'c'.repeat(64) }),
    ).toThrow(/different header/);
    expect(() => verifyTrailer(trailer, newKey().publicKey, observed)).toThrow(/does not verify/);
  });
});
