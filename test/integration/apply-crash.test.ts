// op-dbus killed mid-apply (SIGKILL, no chance to clean up): the journal it leaves makes `op-dbus recover`,
// or the next apply, roll the target back to its checkpoint, and the ledger shows the recovery.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opDbus } from '../support/run-cli.js';
import { captureSections, writeEdited } from './support/desired-state.js';
import { containerRoot, target, targetArgs } from './testbed-env.js';

const B = target(1);
const SECTIONS = 'systemd,identity';
const BIN = new URL('../../bin/op-dbus.js', import.meta.url).pathname;
const UNITS = ['opdbus-crash-1.service', 'opdbus-crash-2.service'];

let work: string;
let checkpoint: string;
let desired: string;
let changeCount: number;

function journalProgress(): string[] {
  const file = join(containerRoot(B), 'var/lib/op-dbus/journal/apply.progress');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

/** Starts an apply that hangs once change `k` is journaled as started, and SIGKILLs it there. */
async function killApplyAt(k: number): Promise<void> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'apply', '--yes', desired, ...targetArgs(B)], {
    env: { ...process.env, OPDBUS_TEST_HANG_AT_CHANGE: String(k) },
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 60_000;
  while (journalProgress().filter((line) => line.includes('"started"')).length < k + 1) {
    if (Date.now() > deadline) throw new Error(`apply never reached change ${k}`);
    if (child.exitCode !== null) throw new Error(`apply exited (${child.exitCode}) before change ${k}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  child.kill('SIGKILL');
  await exited;
}

async function expectAtCheckpoint() {
  const diff = await opDbus(['diff', '--live', checkpoint, '--plugin', SECTIONS, ...targetArgs(B)]);
  expect(diff.code, diff.stdout).toBe(0);
}

describe('recovery after op-dbus is killed mid-apply', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'op-dbus-crash-'));
    checkpoint = join(work, 'checkpoint.json');
    desired = join(work, 'desired.json');
    await writeEdited(await captureSections(B, checkpoint, SECTIONS), desired, (sections) => {
      for (const unit of UNITS) {
        sections.systemd.config.files[`/etc/systemd/system/${unit}`] = {
          content: `[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n\n[Install]\nWantedBy=multi-user.target\n`,
        };
        sections.systemd.config.unitFiles[unit] = 'enabled';
        sections.systemd.config.activeState[unit] = 'active';
      }
      sections.identity.config.hostname.prettyHostname = 'Crash test';
    });
    const planned = await opDbus(['plan', '--json', desired, ...targetArgs(B)]);
    changeCount = JSON.parse(planned.stdout).changes.length;
    expect(changeCount).toBeGreaterThanOrEqual(6);
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('`recover` rolls back a killed apply at the first, a middle and the last change', async () => {
    for (const k of [0, Math.floor(changeCount / 2), changeCount - 1]) {
      await killApplyAt(k);
      expect(journalProgress().length, `k=${k}: the journal is left behind`).toBeGreaterThan(0);
      const recovered = await opDbus(['recover', ...targetArgs(B)]);
      expect(recovered.code, `k=${k}: ${recovered.stdout}${recovered.stderr}`).toBe(0);
      expect(recovered.stdout).toContain('back at its checkpoint');
      expect(journalProgress()).toEqual([]);
      await expectAtCheckpoint();
    }
    const again = await opDbus(['recover', ...targetArgs(B)]);
    expect(again.stdout).toContain('Nothing to recover');
  }, 300_000);

  it('the next apply recovers first, then applies', async () => {
    await killApplyAt(Math.floor(changeCount / 2));
    const applied = await opDbus(['apply', '--yes', desired, ...targetArgs(B)]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toMatch(/an interrupted apply \(.+\) was found: rolling back/);
    const verified = await opDbus(['verify', desired, ...targetArgs(B)]);
    expect(verified.code, verified.stdout).toBe(0);
    const back = await opDbus(['apply', '--yes', checkpoint, ...targetArgs(B)]);
    expect(back.code, back.stderr).toBe(0);
    await expectAtCheckpoint();
  }, 180_000);

  it('the ledger shows each recovery and still verifies', async () => {
    const log = await opDbus(['ledger', 'log', '--json', ...targetArgs(B)]);
    const recoveries = (log.stdout.match(/"action":\s*"recover"/g) ?? []).length;
    expect(recoveries).toBeGreaterThanOrEqual(4);
    const verified = await opDbus(['ledger', 'verify', ...targetArgs(B)]);
    expect(verified.code, verified.stdout).toBe(0);
  });
});
