import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLedgerFixture, type LedgerFixture } from '../support/ledger-fixture.js';
import { opDbus } from '../support/run-cli.js';

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const cleanup of cleanups) cleanup();
});

async function ledgerOf(count: number): Promise<LedgerFixture> {
  const fixture = await createLedgerFixture(count);
  cleanups.push(fixture.remove);
  return fixture;
}

describe('op-dbus ledger', () => {
  it('says an empty ledger has no entries, and verify exits 0', async () => {
    const root = mkdtempSync(join(tmpdir(), 'op-dbus-ledger-cli-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const log = await opDbus(['ledger', 'log', '--root', root]);
    expect(log).toMatchObject({ code: 0, stdout: expect.stringMatching(/no entries/) });
    const verify = await opDbus(['ledger', 'verify', '--root', root]);
    expect(verify).toMatchObject({ code: 0, stdout: expect.stringMatching(/no entries/) });
  });

  it('lists, shows and verifies an intact ledger', async () => {
    const fixture = await ledgerOf(4);
    const log = await opDbus(['ledger', 'log', '--root', fixture.root, '--limit', '2']);
    expect(log.code).toBe(0);
    expect(log.stdout.split('\n')[0]).toMatch(/^SEQ\s+TIME\s+ACTOR\s+ACTION\s+RESULT\s+HASH/);
    expect(log.stdout).toMatch(
      /\n3\s+2025-01-01T12:02:00Z\s+root \(uid 0\)\s+rollback\s+rolled-back\s+[0-9a-f]{12}/,
    );
    expect(log.stdout).not.toMatch(/\n1\s/);
    const show = await opDbus(['ledger', 'show', '2', '--json', '--root', fixture.root]);
    expect(JSON.parse(show.stdout)).toMatchObject({ sequence: 2, action: 'apply' });
    const verify = await opDbus(['ledger', 'verify', '--root', fixture.root]);
    expect(verify).toMatchObject({ code: 0, stdout: expect.stringMatching(/Ledger intact: 4 entries/) });
  });

  it('exits 2 for a tampered ledger, naming the first bad entry', async () => {
    const fixture = await ledgerOf(4);
    fixture.writeLines(
      fixture.readLines().map((line, index) => (index === 1 ? line.replace('apply', 'discover') : line)),
    );
    const human = await opDbus(['ledger', 'verify', '--root', fixture.root]);
    expect(human.code).toBe(2);
    expect(human.stdout).toMatch(/first bad entry: sequence 2 \(line 2\): hash mismatch/);
    const json = await opDbus(['ledger', 'verify', '--json', '--root', fixture.root]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, firstBad: { sequence: 2, line: 2 } });
  });

  it('verifies against a given public key, and exits 1 for a bad key file or a missing entry', async () => {
    const fixture = await ledgerOf(2);
    expect(
      (
        await opDbus([
          'ledger',
          'verify',
          '--public-key',
          fixture.hostPath('publicKey'),
          '--root',
          fixture.root,
        ])
      ).code,
    ).toBe(0);
    const notAKey = join(fixture.root, 'not-a-key.pem');
    writeFileSync(notAKey, 'hello\n');
    const bad = await opDbus(['ledger', 'verify', '--public-key', notAKey, '--root', fixture.root]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/the given public key is not a PEM public key/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const missing = await opDbus(['ledger', 'show', '9', '--root', fixture.root]);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringMatching(/no entry with sequence 9/) });
  });
});
