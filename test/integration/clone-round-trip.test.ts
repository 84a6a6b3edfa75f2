// The clone round trip on two real-systemd targets: change A, capture it, apply the capture to a pristine B,
// verify B reports no drift and independent tools inside B agree; then put both back with op-dbus itself.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opDbus } from '../support/run-cli.js';
import { createLocalAptRepo, type LocalAptRepo } from './support/local-apt-repo.js';
import { containerRoot, execInTarget, target, targetArgs } from './testbed-env.js';

const A = target(0);
const B = target(1);
const UNIT = 'opdbus-clone.service';
const UNIT_FILE = `[Unit]\nDescription=op-dbus clone test\n\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n\n[Install]\nWantedBy=multi-user.target\n`;
const DROP_IN = `[Service]\nEnvironment=CLONED=yes\n`;
const SYSCTL = 'net.ipv4.ip_forward = 1\n';
const MODULES = 'dummy\n';
const GRUB =
  '# test bootloader configuration\nGRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=""\nGRUB_CMDLINE_LINUX_DEFAULT="quiet opdbus.clone=1"\n';
const FILES: Record<string, string> = {
  [`/etc/systemd/system/${UNIT}`]: UNIT_FILE,
  [`/etc/systemd/system/${UNIT}.d/override.conf`]: DROP_IN,
  '/etc/sysctl.d/60-opdbus-clone.conf': SYSCTL,
  '/etc/modules-load.d/opdbus-clone.conf': MODULES,
};

let work: string;
let repos: LocalAptRepo[] = [];

async function inA(...command: string[]) {
  return execInTarget(A, command);
}
async function inB(...command: string[]) {
  return (await execInTarget(B, command)).trim();
}
async function capture(t: typeof A, file: string) {
  const result = await opDbus(['discover', '--export', '-o', file, ...targetArgs(t)]);
  expect(result.code, result.stderr).toBe(0);
}

describe('clone round trip: capture A, apply to B, verify', () => {
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'op-dbus-clone-'));
    await capture(A, join(work, 'a0.json'));
    await capture(B, join(work, 'b0.json'));
    const debs = [{ name: 'opdbus-hello', version: '1.0-1', description: 'op-dbus clone test package' }];
    repos = [await createLocalAptRepo(A, debs), await createLocalAptRepo(B, debs)];

    const rootA = containerRoot(A);
    for (const [path, content] of Object.entries(FILES)) {
      await execInTarget(A, ['mkdir', '-p', path.slice(0, path.lastIndexOf('/'))]);
      await writeFile(join(rootA, path), content);
    }
    await writeFile(join(rootA, 'etc/default/grub'), GRUB);
    await inA('systemctl', 'daemon-reload');
    await inA('systemctl', 'enable', '--now', UNIT);
    await inA('systemctl', 'enable', 'systemd-time-wait-sync.service');
    await inA('systemctl', 'disable', 'e2scrub_reap.service');
    await inA('hostnamectl', 'set-hostname', 'opdbus-clone-a');
    await inA('timedatectl', 'set-timezone', 'Europe/Warsaw');
    await inA('apt-get', 'install', '-y', '-q', '--no-install-recommends', 'opdbus-hello');
    await capture(A, join(work, 'a.json'));
  }, 180_000);

  afterAll(async () => {
    // op-dbus puts both targets back to their first captures; verify proves it.
    for (const [t, file] of [
      [A, 'a0.json'],
      [B, 'b0.json'],
    ] as const) {
      const args = [join(work, file), ...targetArgs(t)];
      const applied = await opDbus(['apply', '--yes', '--prune', ...args]);
      expect(applied.code, applied.stderr).toBe(0);
      // The grub file is a kernel setting only where one exists; the targets had none.
      await rm(join(containerRoot(t), 'etc/default/grub'), { force: true });
    }
    for (const repo of repos) await repo.remove();
    for (const [t, file] of [
      [A, 'a0.json'],
      [B, 'b0.json'],
    ] as const) {
      const verified = await opDbus(['verify', join(work, file), ...targetArgs(t)]);
      expect(verified.code, verified.stdout).toBe(0);
    }
    await rm(work, { recursive: true, force: true });
  }, 300_000);

  it('plans every change A has and B lacks, and refuses nothing', async () => {
    const result = await opDbus(['plan', '--json', join(work, 'a.json'), ...targetArgs(B)]);
    expect(result.code, result.stderr).toBe(2);
    const plan = JSON.parse(result.stdout);
    const targets = plan.changes.map(
      (change: { plugin: string; target: string }) => `${change.plugin} ${change.target}`,
    );
    for (const path of Object.keys(FILES)) expect(targets.some((t: string) => t.endsWith(path))).toBe(true);
    expect(targets).toContain(`systemd ${UNIT}`);
    expect(targets).toContain('packages opdbus-hello');
    expect(plan.unresolved.filter((item: { blocking: boolean }) => item.blocking)).toEqual([]);
  });

  it('applies A to B and verify reports no drift', async () => {
    const applied = await opDbus(['apply', '--yes', join(work, 'a.json'), ...targetArgs(B)]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stderr).toMatch(/\[1\/\d+\]/);
    const verified = await opDbus(['verify', join(work, 'a.json'), ...targetArgs(B)]);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(/No drift/);
    const diff = await opDbus([
      'diff',
      '--live',
      join(work, 'a.json'),
      '--plugin',
      'systemd,kernel,packages',
      ...targetArgs(B),
    ]);
    expect(diff.code, diff.stdout).toBe(0);
  }, 240_000);

  it('independent tools inside B agree with A', async () => {
    expect(await inB('systemctl', 'is-enabled', UNIT)).toBe('enabled');
    expect(await inB('systemctl', 'is-active', UNIT)).toBe('active');
    expect(await inB('systemctl', 'is-enabled', 'systemd-time-wait-sync.service')).toBe('enabled');
    expect(await inB('systemctl', 'show', '-p', 'UnitFileState', '--value', 'e2scrub_reap.service')).toBe(
      'disabled',
    );
    expect(await inB('systemctl', 'show', '-p', 'Environment', '--value', UNIT)).toBe('CLONED=yes');
    const rootB = containerRoot(B);
    for (const [path, content] of Object.entries(FILES))
      expect(await readFile(join(rootB, path), 'utf8')).toBe(content);
    expect(await readFile(join(rootB, 'etc/default/grub'), 'utf8')).toMatch(
      /^GRUB_CMDLINE_LINUX_DEFAULT="quiet opdbus\.clone=1"$/m,
    );
    expect(await inB('hostnamectl', '--static')).toBe('opdbus-clone-a');
    expect(await inB('timedatectl', 'show', '-p', 'Timezone', '--value')).toBe('Europe/Warsaw');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax.
    expect(await inB('dpkg-query', '-W', '-f', '${Status} ${Version}', 'opdbus-hello')).toBe(
      'install ok installed 1.0-1',
    );
  });

  it('records the apply in B’s ledger, which verifies', async () => {
    const log = await opDbus(['ledger', 'log', '--json', ...targetArgs(B)]);
    expect(log.code, log.stderr).toBe(0);
    const entries = JSON.parse(log.stdout);
    expect(entries.at(-1)).toMatchObject({ action: 'apply', result: 'ok' });
    const verified = await opDbus(['ledger', 'verify', ...targetArgs(B)]);
    expect(verified.code, verified.stdout).toBe(0);
  });
});
