import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createLedgerFixture,
  type LedgerFixture,
  rehashed,
  sampleRecord,
} from '../../test/support/ledger-fixture.js';
import { canonicalJson } from '../state/canonical.js';
import type { LedgerEntry } from './entry.js';
import { signedHead, writeHead } from './head.js';
import type { LedgerVerification } from './ledger.js';
import { keyFingerprint, signHash } from './signing-key.js';

const fixtures: LedgerFixture[] = [];
afterEach(() => {
  for (const fixture of fixtures.splice(0)) fixture.remove();
});

async function ledgerOf(count: number): Promise<LedgerFixture> {
  const fixture = await createLedgerFixture(count);
  fixtures.push(fixture);
  return fixture;
}

function editEntry(
  fixture: LedgerFixture,
  sequence: number,
  edit: (entry: LedgerEntry) => LedgerEntry,
): void {
  const lines = fixture.readLines();
  const entry = JSON.parse(lines[sequence - 1] as string) as LedgerEntry;
  lines[sequence - 1] = canonicalJson(edit(entry));
  fixture.writeLines(lines);
}

function expectFirstBad(result: LedgerVerification, sequence: number | undefined, reason: RegExp): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.firstBad.sequence).toBe(sequence);
  expect(result.firstBad.reason).toMatch(reason);
}

const otherHash = 'f'.repeat(64);
const fieldEdits: [string, (entry: LedgerEntry) => LedgerEntry][] = [
  ['actor', (entry) => ({ ...entry, actor: 'mallory (uid 1001)' })],
  ['action', (entry) => ({ ...entry, action: 'discover' })],
  ['planHash', (entry) => ({ ...entry, planHash: otherHash })],
  ['stateBefore', (entry) => ({ ...entry, stateBefore: otherHash })],
  ['stateAfter', (entry) => ({ ...entry, stateAfter: otherHash })],
  ['result', (entry) => ({ ...entry, result: 'failed' })],
  ['details', (entry) => ({ ...entry, details: { changes: 0 } })],
  ['details (removed)', ({ details: _details, ...entry }) => entry],
  ['sequence', (entry) => ({ ...entry, sequence: 4 })],
  ['time', (entry) => ({ ...entry, time: '2024-01-01T00:00:00.000Z' })],
  ['previousHash', (entry) => ({ ...entry, previousHash: otherHash })],
  ['hash', (entry) => ({ ...entry, hash: otherHash })],
];

describe('ledger verify', () => {
  it('accepts an intact ledger', async () => {
    const fixture = await ledgerOf(5);
    expect(await fixture.ledger.verify()).toMatchObject({ ok: true, count: 5, headSequence: 5 });
  });

  it.each(fieldEdits)('names entry 3 when its %s is edited', async (_field, edit) => {
    const fixture = await ledgerOf(5);
    editEntry(fixture, 3, edit);
    expectFirstBad(await fixture.ledger.verify(), 3, /hash mismatch: the entry was edited/);
  });

  it('names entry 3 when its signature is edited', async () => {
    const fixture = await ledgerOf(5);
    editEntry(fixture, 3, (entry) => ({ ...entry, signature: Buffer.alloc(64, 1).toString('base64') }));
    expectFirstBad(await fixture.ledger.verify(), 3, /signature mismatch/);
  });

  it('detects an edit that was re-hashed, or re-signed with another key', async () => {
    const fixture = await ledgerOf(5);
    editEntry(fixture, 3, (entry) => rehashed({ ...entry, result: 'ok' }));
    expectFirstBad(await fixture.ledger.verify(), 3, /signature mismatch/);
    const { privateKey } = generateKeyPairSync('ed25519');
    editEntry(fixture, 3, (entry) => ({ ...entry, signature: signHash(privateKey, entry.hash) }));
    expectFirstBad(await fixture.ledger.verify(), 3, /signature mismatch/);
  });

  it.each([
    [1, 1, /sequence 2 where 1 was expected: entry 1 was deleted/],
    [3, 3, /sequence 4 where 3 was expected: entry 3 was deleted/],
    [5, 5, /head records sequence 5 but the ledger ends at 4: entry 5 was removed from the end/],
  ])('detects deletion of entry %i', async (deleted, firstBad, reason) => {
    const fixture = await ledgerOf(5);
    fixture.writeLines(fixture.readLines().filter((_, index) => index !== deleted - 1));
    expectFirstBad(await fixture.ledger.verify(), firstBad, reason);
  });

  it('detects removal of the tail (past the last line)', async () => {
    const fixture = await ledgerOf(5);
    fixture.writeLines(fixture.readLines().slice(0, 2));
    const result = await fixture.ledger.verify();
    expectFirstBad(result, 3, /entries 3 to 5 were removed from the end/);
    expect(!result.ok && result.firstBad.line).toBeUndefined();
  });

  it('detects removal of every entry while the head remains', async () => {
    const fixture = await ledgerOf(3);
    fixture.writeLines([]);
    expectFirstBad(await fixture.ledger.verify(), 1, /entries 1 to 3 were removed/);
  });

  it('detects an inserted entry, even one chained and hashed correctly', async () => {
    const fixture = await ledgerOf(5);
    const lines = fixture.readLines();
    const second = JSON.parse(lines[1] as string) as LedgerEntry;
    const forged = rehashed({
      ...second,
      sequence: 3,
      previousHash: second.hash,
      action: 'apply',
      result: 'ok',
    });
    lines.splice(2, 0, canonicalJson(forged));
    fixture.writeLines(lines);
    expectFirstBad(await fixture.ledger.verify(), 3, /signature mismatch/);
  });

  it('detects swapped entries', async () => {
    const fixture = await ledgerOf(5);
    const lines = fixture.readLines();
    fixture.writeLines([lines[0], lines[2], lines[1], lines[3], lines[4]] as string[]);
    expectFirstBad(
      await fixture.ledger.verify(),
      2,
      /sequence 3 where 2 was expected: entries are out of order/,
    );
  });

  it('detects a duplicated entry', async () => {
    const fixture = await ledgerOf(5);
    const lines = fixture.readLines();
    lines.splice(3, 0, lines[2] as string);
    fixture.writeLines(lines);
    expectFirstBad(await fixture.ledger.verify(), 4, /sequence 3 again where 4 was expected/);
  });

  it('detects a truncated last line, a garbage line and a reformatted line', async () => {
    const fixture = await ledgerOf(5);
    const lines = fixture.readLines();
    writeFileSync(fixture.hostPath('entries'), `${lines.join('\n')}`.slice(0, -20));
    expectFirstBad(await fixture.ledger.verify(), 5, /incomplete \(no final newline\)/);
    fixture.writeLines(lines.map((line, index) => (index === 2 ? '{"sequence": 3' : line)));
    expectFirstBad(await fixture.ledger.verify(), 3, /not valid JSON/);
    fixture.writeLines(
      lines.map((line, index) =>
        index === 2 ? JSON.stringify(JSON.parse(line), null, 1).replaceAll('\n', '') : line,
      ),
    );
    expectFirstBad(await fixture.ledger.verify(), 3, /not in canonical form/);
  });

  it('reports a line that is not an entry, and entries() refuses it by line number', async () => {
    const fixture = await ledgerOf(3);
    const lines = fixture.readLines();
    lines[1] = '{"hello":"world"}';
    fixture.writeLines(lines);
    expectFirstBad(
      await fixture.ledger.verify(),
      2,
      /not a ledger entry: \$\.actor: Invalid input.*\(and 9 more\)/,
    );
    await expect(fixture.ledger.entries()).rejects.toThrow(/line 2 of .*entries\.jsonl: not a ledger entry/);
  });

  it('detects a missing or forged head', async () => {
    const fixture = await ledgerOf(3);
    const head = readFileSync(fixture.hostPath('head'), 'utf8');
    rmSync(fixture.hostPath('head'));
    expectFirstBad(await fixture.ledger.verify(), undefined, /head file is missing/);
    writeFileSync(fixture.hostPath('head'), head.replace('"sequence":3', '"sequence":2'));
    expectFirstBad(await fixture.ledger.verify(), undefined, /head signature mismatch/);
  });

  it('accepts a head one append behind (an append interrupted before the head was written)', async () => {
    const fixture = await ledgerOf(3);
    const privateKey = createPrivateKey(readFileSync(fixture.hostPath('privateKey')));
    const publicKey = createPublicKey(privateKey);
    const second = JSON.parse(fixture.readLines()[1] as string) as LedgerEntry;
    await writeHead(
      fixture.machine,
      signedHead({ privateKey, publicKey, fingerprint: keyFingerprint(publicKey) }, 2, second.hash),
    );
    expect(await fixture.ledger.verify()).toMatchObject({ ok: true, count: 3, headSequence: 2 });
    await fixture.ledger.append(sampleRecord(3));
    expect(await fixture.ledger.verify()).toMatchObject({ ok: true, count: 4, headSequence: 4 });
  });

  it('names a replaced key pair at entry 1, and a public key that does not match the private key', async () => {
    const fixture = await ledgerOf(3);
    const stranger = await ledgerOf(1);
    const publicKey = readFileSync(fixture.hostPath('publicKey'), 'utf8');
    copyFileSync(stranger.hostPath('publicKey'), fixture.hostPath('publicKey'));
    expectFirstBad(await fixture.ledger.verify(), undefined, /does not belong to the signing key/);
    copyFileSync(stranger.hostPath('privateKey'), fixture.hostPath('privateKey'));
    expectFirstBad(
      await fixture.ledger.verify(),
      1,
      /first entry records signing key .* the key was replaced/,
    );
    expect(await fixture.ledger.verify({ publicKeyPem: publicKey })).toMatchObject({ ok: true, count: 3 });
    rmSync(fixture.hostPath('publicKey'));
    rmSync(fixture.hostPath('privateKey'));
    expectFirstBad(await fixture.ledger.verify(), undefined, /both signing key files are missing/);
  });

  it('catches a ledger rewritten wholesale under a new key only with a public key kept elsewhere', async () => {
    const fixture = await ledgerOf(3);
    const rewritten = await ledgerOf(3);
    const publicKey = readFileSync(fixture.hostPath('publicKey'), 'utf8');
    for (const file of ['entries', 'head', 'privateKey', 'publicKey'] as const)
      copyFileSync(rewritten.hostPath(file), fixture.hostPath(file));
    expect((await fixture.ledger.verify()).ok).toBe(true);
    expectFirstBad(await fixture.ledger.verify({ publicKeyPem: publicKey }), 1, /the key was replaced/);
  });

  it('refuses a given public key that is not an ed25519 key', async () => {
    const fixture = await ledgerOf(1);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    await expect(fixture.ledger.verify({ publicKeyPem: 'nonsense' })).rejects.toThrow(/not a PEM public key/);
    await expect(fixture.ledger.verify({ publicKeyPem: rsa.toString() })).rejects.toThrow(
      /rsa key, not ed25519/,
    );
  });
});
