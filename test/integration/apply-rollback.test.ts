// Rollback at every step, on a real target: for an n-change plan, a failure at change k (injected, or real:
// a unit that fails to start, a file that cannot be written) leaves the target equal to its checkpoint.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeAdminFiles } from '../../src/plugins/kernel/merge-admin-files.js';
import type { MachineState } from '../../src/state/schema.js';
import { opDbus } from '../support/run-cli.js';
import { captureSections, type EditableSections, writeEdited } from './support/desired-state.js';
import { containerRoot, target, targetArgs } from './testbed-env.js';

const run = promisify(execFile);
const B = target(1);
const SECTIONS = 'systemd,identity,kernel';
const UNIT = 'opdbus-rollback.service';
const FAILING_UNIT = 'opdbus-rollback-fails.service';
const oneshot = (exec: string) =>
  `[Unit]\nDescription=op-dbus rollback test\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=${exec}\n\n[Install]\nWantedBy=multi-user.target\n`;

let work: string;
let checkpoint: string;
let desired: string;
let original: MachineState;

/** The desired state: B's own capture plus unit files, enablement, run state, hostname and timezone. */
function addChanges(sections: EditableSections, units: Record<string, string>) {
  const systemd = sections.systemd.config;
  for (const [unit, exec] of Object.entries(units)) {
    systemd.files[`/etc/systemd/system/${unit}`] = { content: oneshot(exec) };
    systemd.unitFiles[unit] = 'enabled';
    systemd.activeState[unit] = 'active';
  }
  systemd.files[`/etc/systemd/system/${UNIT}.d/override.conf`] = {
    content: '[Service]\nEnvironment=ROLLBACK=1\n',
  };
  systemd.unitFiles['systemd-time-wait-sync.service'] = 'enabled';
  const identity = sections.identity.config;
  identity.hostname.staticHostname = 'opdbus-rollback';
  identity.time.timezone = 'Europe/Warsaw';
  const kernel = sections.kernel.config;
  kernel.files['/etc/sysctl.d/60-opdbus-rollback.conf'] = { content: 'net.ipv4.ip_forward = 1\n' };
  kernel.files['/etc/modules-load.d/opdbus-rollback.conf'] = { content: 'dummy\n' };
  // The merged values a capture states must follow from its files, as discover would have written them.
  Object.assign(kernel, mergeAdminFiles(kernel.files));
}

async function expectAtCheckpoint() {
  const diff = await opDbus(['diff', '--live', checkpoint, '--plugin', SECTIONS, ...targetArgs(B)]);
  expect(diff.code, diff.stdout).toBe(0);
  // Nothing of the attempt is left behind either: no unit file, drop-in directory or enablement link.
  const unitDir = join(containerRoot(B), 'etc/systemd/system');
  expect((await readdir(unitDir)).filter((name) => name.startsWith('opdbus-rollback'))).toEqual([]);
  expect(await readdir(join(unitDir, 'multi-user.target.wants'))).not.toContain(UNIT);
}

describe('apply rolls back at every step', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'op-dbus-rollback-'));
    checkpoint = join(work, 'checkpoint.json');
    desired = join(work, 'desired.json');
    original = await captureSections(B, checkpoint, SECTIONS);
    await writeEdited(original, desired, (sections) => addChanges(sections, { [UNIT]: '/bin/true' }));
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('leaves the target at its checkpoint whichever change k fails', async () => {
    const planned = await opDbus(['plan', '--json', desired, ...targetArgs(B)]);
    const changes = JSON.parse(planned.stdout).changes as { description: string }[];
    expect(changes.length).toBeGreaterThanOrEqual(7);
    for (let k = 0; k < changes.length; k++) {
      const applied = await opDbus(['apply', '--yes', desired, ...targetArgs(B)], {
        OPDBUS_TEST_FAIL_AT_CHANGE: String(k),
      });
      expect(applied.code, `k=${k}: ${applied.stderr}`).toBe(1);
      expect(applied.stderr).toContain(`injected failure at change ${k}`);
      expect(applied.stderr).toContain('the machine is back at its checkpoint');
      await expectAtCheckpoint();
    }
  }, 300_000);

  it('rolls back when a unit fails to start', async () => {
    const withFailing = join(work, 'failing.json');
    await writeEdited(original, withFailing, (sections) =>
      addChanges(sections, { [UNIT]: '/bin/true', [FAILING_UNIT]: '/bin/false' }),
    );
    const applied = await opDbus(['apply', '--yes', withFailing, ...targetArgs(B)]);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toMatch(new RegExp(`starting ${FAILING_UNIT} ended with job result "failed"`));
    expect(applied.stderr).toContain('the machine is back at its checkpoint');
    await expectAtCheckpoint();
  }, 120_000);

  it('rolls back when a file cannot be written', async () => {
    // An immutable drop-in directory: creating the drop-in in it fails with EPERM, as on a read-only mount.
    const dropInDir = join(containerRoot(B), `etc/systemd/system/${UNIT}.d`);
    await mkdir(dropInDir);
    await run('chattr', ['+i', dropInDir]);
    try {
      const applied = await opDbus(['apply', '--yes', desired, ...targetArgs(B)]);
      expect(applied.code).toBe(1);
      expect(applied.stderr).toMatch(/EPERM|operation not permitted/i);
      expect(applied.stderr).toContain('the machine is back at its checkpoint');
    } finally {
      await run('chattr', ['-i', dropInDir]);
      await rmdir(dropInDir);
    }
    await expectAtCheckpoint();
  }, 120_000);

  it('applies the same plan when nothing fails, then returns to the checkpoint with op-dbus', async () => {
    const applied = await opDbus(['apply', '--yes', desired, ...targetArgs(B)]);
    expect(applied.code, applied.stderr).toBe(0);
    const back = await opDbus(['apply', '--yes', checkpoint, ...targetArgs(B)]);
    expect(back.code, back.stderr).toBe(0);
    await expectAtCheckpoint();
  }, 120_000);

  it('records each rollback in the ledger', async () => {
    const log = await opDbus(['ledger', 'log', '--json', ...targetArgs(B)]);
    expect(log.code, log.stderr).toBe(0);
    const text = log.stdout;
    expect(text).toContain('"rollback"');
    expect(text).toContain('"rolled-back"');
  });
});
