import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createLedgerFixture,
  type LedgerFixture,
  rehashed,
  sampleRecord,
} from '../../test/support/ledger-fixture.js';
import { Machine } from '../machine/machine.js';
import { canonicalJson } from '../state/canonical.js';
import { currentActor, LEDGER_PATHS, LedgerDamagedError, openLedger } from './ledger.js';

const fixtures: LedgerFixture[] = [];
afterEach(() => {
  for (const fixture of fixtures.splice(0)) fixture.remove();
});

async function ledgerOf(count: number): Promise<LedgerFixture> {
  const fixture = await createLedgerFixture(count);
  fixtures.push(fixture);
  return fixture;
}

const REPO = new URL('../../', import.meta.url).pathname;
const run = promisify(execFile);

describe('ledger append and read', () => {
  it('round-trips entries: numbered, chained, timed, the first naming the key', async () => {
    const fixture = await ledgerOf(0);
    const first = await fixture.ledger.append(sampleRecord(0), new Date('2025-03-01T10:00:00Z'));
    const second = await fixture.ledger.append({ ...sampleRecord(1), details: undefined });
    expect(first).toMatchObject({
      sequence: 1,
      time: '2025-03-01T10:00:00.000Z',
      previousHash: '0'.repeat(64),
    });
    expect(second).toMatchObject({ sequence: 2, previousHash: first.hash, action: 'apply', planHash: null });
    expect(second).not.toHaveProperty('details');
    expect(await fixture.ledger.entries()).toEqual([first, second]);
    const verification = await fixture.ledger.verify();
    expect(verification).toMatchObject({ ok: true, count: 2, headSequence: 2 });
    expect(first.details).toEqual({
      ...sampleRecord(0).details,
      signingKeyFingerprint: verification.ok ? verification.publicKeyFingerprint : '',
    });
  });

  it('creates the key once: private key 0600 in a 0700 directory, public key beside it', async () => {
    const fixture = await ledgerOf(1);
    const privateKey = readFileSync(fixture.hostPath('privateKey'), 'utf8');
    expect(privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(readFileSync(fixture.hostPath('publicKey'), 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(statSync(fixture.hostPath('privateKey')).mode & 0o777).toBe(0o600);
    expect(statSync(fixture.hostPath('directory')).mode & 0o777).toBe(0o700);
    await fixture.ledger.append(sampleRecord(1));
    expect(readFileSync(fixture.hostPath('privateKey'), 'utf8')).toBe(privateKey);
    expect(existsSync(fixture.hostPath('lock'))).toBe(false);
  });

  it('tightens a ledger directory found with a wider mode', async () => {
    const fixture = await ledgerOf(0);
    mkdirSync(fixture.hostPath('directory'), { recursive: true, mode: 0o755 });
    chmodSync(fixture.hostPath('directory'), 0o755);
    await fixture.ledger.append(sampleRecord(0));
    expect(statSync(fixture.hostPath('directory')).mode & 0o777).toBe(0o700);
  });

  it('refuses an invalid record, naming the field, and writes nothing', async () => {
    const fixture = await ledgerOf(0);
    await expect(fixture.ledger.append({ ...sampleRecord(0), action: 'Apply now' })).rejects.toThrow(
      /\$\.action: must match/,
    );
    await expect(fixture.ledger.append({ ...sampleRecord(0), planHash: 'abc' })).rejects.toThrow(
      /\$\.planHash: must be a sha256 hex digest/,
    );
    await expect(
      fixture.ledger.append({ ...sampleRecord(0), details: { log: 'x'.repeat(20_000) } }),
    ).rejects.toThrow(/\$\.details: must be at most 16384 bytes/);
    await expect(
      fixture.ledger.append({ ...sampleRecord(0), secret: 'hunter2' } as ReturnType<typeof sampleRecord>),
    ).rejects.toThrow(/Unrecognized key/);
    expect(existsSync(fixture.hostPath('directory'))).toBe(false);
  });

  it('counts entries by action and result', async () => {
    const fixture = await ledgerOf(4);
    const entries = await fixture.ledger.entries();
    expect(await fixture.ledger.stats()).toEqual({
      count: 4,
      firstTime: '2025-01-01T12:00:00.000Z',
      lastTime: '2025-01-01T12:03:00.000Z',
      lastSequence: 4,
      lastHash: entries[3]?.hash,
      byAction: { discover: 1, apply: 1, rollback: 1, recover: 1 },
      byResult: { ok: 3, 'rolled-back': 1 },
    });
    expect(await openLedger(new Machine({ root: `${fixture.root}/none` })).stats()).toMatchObject({
      count: 0,
    });
  });
});

describe('ledger append refuses to chain onto a damaged ledger', () => {
  it.each([
    ['a removed tail', (f: LedgerFixture) => f.writeLines(f.readLines().slice(0, 2)), /entries end at 2/],
    [
      'an incomplete last line',
      (f: LedgerFixture) => writeFileSync(f.hostPath('entries'), f.readLines().join('\n')),
      /last line is incomplete/,
    ],
    [
      'an edited last entry',
      (f: LedgerFixture) =>
        f.writeLines(f.readLines().map((line) => line.replace('root (uid 0)', 'mallory'))),
      /last entry \(sequence 3\) was edited/,
    ],
    [
      'a forged last entry',
      (f: LedgerFixture) =>
        f.writeLines([
          ...f.readLines(),
          canonicalJson(rehashed({ ...JSON.parse(f.readLines()[2] as string), sequence: 4 })),
        ]),
      /last entry \(sequence 4\) is not signed by the signing key/,
    ],
    ['a missing head', (f: LedgerFixture) => rmSync(f.hostPath('head')), /head file .* is missing/],
    [
      'a missing private key',
      (f: LedgerFixture) => rmSync(f.hostPath('privateKey')),
      /signing key .* is missing/,
    ],
    [
      'a public key of another key',
      (f: LedgerFixture) =>
        writeFileSync(
          f.hostPath('publicKey'),
          generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }),
        ),
      /does not belong to the signing key/,
    ],
  ])('%s', async (_name, damage, reason) => {
    const fixture = await ledgerOf(3);
    damage(fixture);
    const appending = fixture.ledger.append(sampleRecord(3));
    await expect(appending).rejects.toThrow(LedgerDamagedError);
    await expect(appending).rejects.toThrow(reason);
  });
});

describe('ledger lock', () => {
  it('keeps sequences unique when many appends race in one process', async () => {
    const fixture = await ledgerOf(0);
    const ledgers = [0, 1, 2, 3].map(() => openLedger(new Machine({ root: fixture.root })));
    const appended = await Promise.all(
      Array.from({ length: 24 }, (_, index) => ledgers[index % 4]?.append(sampleRecord(index))),
    );
    expect(new Set(appended.map((entry) => entry?.sequence)).size).toBe(24);
    expect(await fixture.ledger.verify()).toMatchObject({ ok: true, count: 24 });
  });

  it('keeps sequences unique when several processes append at once', async () => {
    const fixture = await ledgerOf(0);
    const child = join(REPO, 'test/support/ledger-append-child.ts');
    const viteNode = join(REPO, 'node_modules/.bin/vite-node');
    await Promise.all([1, 2, 3].map(() => run(viteNode, [child, fixture.root, '8'], { cwd: REPO })));
    const sequences = (await fixture.ledger.entries()).map((entry) => entry.sequence);
    expect(sequences).toEqual(Array.from({ length: 24 }, (_, index) => index + 1));
    expect(await fixture.ledger.verify()).toMatchObject({ ok: true, count: 24 });
  }, 60_000);

  it('breaks a lock left by a dead process', async () => {
    const fixture = await ledgerOf(1);
    writeFileSync(fixture.hostPath('lock'), '999999999 0123abcd\n');
    await fixture.ledger.append(sampleRecord(1));
    expect(existsSync(fixture.hostPath('lock'))).toBe(false);
  });

  it('waits for a live holder and then gives up naming it', async () => {
    const fixture = await ledgerOf(1);
    writeFileSync(fixture.hostPath('lock'), `${process.pid} 0123abcd\n`);
    const impatient = openLedger(fixture.machine, { lockTimeoutMs: 50 });
    await expect(impatient.append(sampleRecord(1))).rejects.toThrow(
      new RegExp(`${LEDGER_PATHS.lock} is held by pid ${process.pid}`),
    );
    expect(readFileSync(fixture.hostPath('lock'), 'utf8')).toBe(`${process.pid} 0123abcd\n`);
  });
});

describe('currentActor', () => {
  const self = `${userInfo().username} (uid ${process.getuid?.()})`;

  it('names the user and uid of the process', () => {
    expect(currentActor({})).toBe(self);
  });

  it('names the sudo caller, and ignores a SUDO_USER that is not a user name', () => {
    const viaSudo = currentActor({ SUDO_USER: 'alice', SUDO_UID: '1000' });
    expect(viaSudo).toBe(
      process.getuid?.() === 0 ? 'alice (uid 1000) via sudo' : `alice (uid 1000) via sudo as ${self}`,
    );
    expect(currentActor({ SUDO_USER: 'alice\nroot', SUDO_UID: '1000' })).toBe(self);
  });
});
