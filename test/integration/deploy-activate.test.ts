// `op-dbus deploy activate|rollback` on testbed target 4: versions sent from a private btrfs pool into a store
// inside the target's root (default path), a unit restarted over the target's own bus that runs from
// `current`; a version whose unit fails or whose health check fails is switched back automatically; the
// rollback chain v3 → v2 → v1 → v3. Everything the test put on the target is removed afterwards.
import { existsSync } from 'node:fs';
import { readdir, readFile, readlink, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opDbus } from '../support/run-cli.js';
import { type BtrfsPool, createBtrfsPool, createSubvolume, deleteSubvolume } from './support/btrfs-pool.js';
import { execInTarget, type TestbedTarget, target } from './testbed-env.js';

const UNIT = 'opdbus-deploy-t.service';
const UNIT_FILE = `/etc/systemd/system/${UNIT}`;
const VERSION_FILE = `/run/opdbus-deploy-t.version`;
const STORE = '/var/lib/op-dbus/deploy';
const OP_DBUS_DIR = '/var/lib/op-dbus';
const LEDGER_DIR = '/var/lib/op-dbus/ledger';

/** What each version holds: its start script (run by the unit) and whether the health check finds it healthy. */
const VERSIONS: { name: string; start: string; healthy: boolean }[] = [
  { name: 'v1', start: 'ok', healthy: true },
  { name: 'v2', start: 'ok', healthy: true },
  { name: 'v3', start: 'ok', healthy: true },
  { name: 'broken', start: 'fails', healthy: true },
  { name: 'unhealthy', start: 'ok', healthy: false },
];

let t4: TestbedTarget;
let pool: BtrfsPool;
let hadOpDbusDir: boolean;
let hadLedger: boolean;

const hostPath = (path: string) => join(t4.root, path);
const onTarget = (args: string[]) =>
  opDbus(['deploy', '--root', t4.root, '--bus-address', t4.busAddress, ...args]);
const fromSender = (args: string[]) =>
  opDbus(['deploy', '--root', pool.mountpoint, '--store', '/deploy', ...args]);

async function runningVersion(): Promise<string> {
  return (await execInTarget(t4, ['cat', VERSION_FILE])).trim();
}

async function activeLink(): Promise<string> {
  return readlink(hostPath(`${STORE}/current`));
}

async function expectOk(result: Promise<{ code: number; stdout: string; stderr: string }>): Promise<string> {
  const { code, stdout, stderr } = await result;
  expect(code, stderr).toBe(0);
  return stdout;
}

beforeAll(async () => {
  t4 = target(3);
  hadOpDbusDir = existsSync(hostPath(OP_DBUS_DIR));
  hadLedger = existsSync(hostPath(LEDGER_DIR));
  pool = await createBtrfsPool('deploy-t4');
  const source = join(pool.mountpoint, 'src');
  await createSubvolume(source);
  await writeFile(join(pool.mountpoint, 'sender.pem'), await expectOk(fromSender(['key', 'export'])));
  let previous: string | undefined;
  for (const version of VERSIONS) {
    await writeFile(join(source, 'version'), `${version.name}\n`);
    const script =
      version.start === 'ok'
        ? `cat ${STORE}/current/version > ${VERSION_FILE}\n`
        : 'echo "cannot start" >&2\nexit 1\n';
    await writeFile(join(source, 'start.sh'), `#!/bin/sh\n${script}`, { mode: 0o755 });
    await rm(join(source, 'healthy'), { force: true });
    if (version.healthy) await writeFile(join(source, 'healthy'), '');
    await expectOk(fromSender(['snapshot', version.name, '--from', '/src']));
    const stream = join(pool.mountpoint, `${version.name}.stream`);
    await expectOk(
      fromSender(['send', version.name, '-o', stream, ...(previous ? ['--parent', previous] : [])]),
    );
    await expectOk(onTarget(['receive', stream, '--verify-key', join(pool.mountpoint, 'sender.pem')]));
    previous = version.name;
  }
  await writeFile(
    hostPath(UNIT_FILE),
    `[Unit]\nDescription=op-dbus deploy test\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/sh ${STORE}/current/start.sh\n`,
  );
  await execInTarget(t4, ['systemctl', 'daemon-reload']);
  await writeFile(
    hostPath(`${STORE}/deploy.json`),
    JSON.stringify({
      restartUnits: [UNIT],
      healthCommand: ['test', '-e', hostPath(`${STORE}/current/healthy`)],
      healthTimeoutSeconds: 30,
    }),
  );
}, 300_000);

afterAll(async () => {
  if (t4 && existsSync(hostPath(UNIT_FILE))) {
    await execInTarget(t4, ['systemctl', 'stop', UNIT]);
    await rm(hostPath(UNIT_FILE));
    await execInTarget(t4, ['systemctl', 'daemon-reload']);
    // A unit that failed during the test would otherwise stay listed (not-found, failed).
    await execInTarget(t4, ['systemctl', 'reset-failed', UNIT]).catch(() => undefined);
    await execInTarget(t4, ['rm', '-f', VERSION_FILE]);
  }
  const versions = hostPath(`${STORE}/versions`);
  if (t4 && existsSync(versions)) {
    for (const name of await readdir(versions)) {
      if (existsSync(join(versions, name, 'tree'))) await deleteSubvolume(join(versions, name, 'tree'));
    }
    await rm(hostPath(STORE), { recursive: true });
  }
  await removeOwnLedger();
  if (t4 && !hadOpDbusDir) await rmdir(hostPath(OP_DBUS_DIR)).catch(() => undefined);
  await pool?.remove();
}, 120_000);

/** The ledger this test created on the target, unless something else recorded there too (then it stays). */
async function removeOwnLedger(): Promise<void> {
  if (!t4 || hadLedger || !existsSync(hostPath(LEDGER_DIR))) return;
  const entries = (await readFile(hostPath(`${LEDGER_DIR}/entries.jsonl`), 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { action: string });
  if (entries.every((entry) => entry.action.startsWith('deploy-')))
    await rm(hostPath(LEDGER_DIR), { recursive: true });
}

async function ledgerEntry(action: string, name: string): Promise<{ result: string } | undefined> {
  const lines = (await readFile(hostPath(`${LEDGER_DIR}/entries.jsonl`), 'utf8')).split('\n').filter(Boolean);
  return lines
    .map((line) => JSON.parse(line) as { action: string; result: string; details?: { name?: string } })
    .filter((entry) => entry.action === action && entry.details?.name === name)
    .pop();
}

describe('deploy activate and rollback on testbed target 4', () => {
  it('activates versions in the default store and restarts the unit over the target bus', async () => {
    for (const name of ['v1', 'v2', 'v3']) {
      const stdout = await expectOk(onTarget(['activate', name]));
      expect(stdout).toMatch(new RegExp(`Activated ${name}.*restarted ${UNIT}`));
      expect(await activeLink()).toBe(`versions/${name}/tree`);
      expect(await runningVersion()).toBe(name);
    }
    expect((await ledgerEntry('deploy-activate', 'v3'))?.result).toBe('ok');
  });

  it('switches back automatically when the unit fails to start from the new version', async () => {
    await execInTarget(t4, ['rm', '-f', VERSION_FILE]);
    const { code, stderr } = await onTarget(['activate', 'broken']);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /activating broken failed: restarting opdbus-deploy-t\.service .*failed.*switched back to v3/,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(await activeLink()).toBe('versions/v3/tree');
    // The unit ran again after the switch back: it wrote the file removed above.
    expect(await runningVersion()).toBe('v3');
    expect((await execInTarget(t4, ['systemctl', 'is-active', UNIT])).trim()).toBe('active');
    expect((await ledgerEntry('deploy-activate', 'broken'))?.result).toBe('rolled-back');
  });

  it('switches back when the health command fails', async () => {
    const { code, stderr } = await onTarget(['activate', 'unhealthy']);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /activating unhealthy failed: the health command failed: it exited with status 1; switched back to v3/,
    );
    expect(await activeLink()).toBe('versions/v3/tree');
    expect(await runningVersion()).toBe('v3');
  });

  it('rolls back v3 → v2 → v1 → v3', async () => {
    const steps: [string[], string][] = [
      [['rollback'], 'v2'],
      [['rollback'], 'v1'],
      [['rollback', 'v3'], 'v3'],
    ];
    for (const [args, expected] of steps) {
      const stdout = await expectOk(onTarget(args));
      expect(stdout).toMatch(new RegExp(`Rolled back to ${expected}`));
      expect(await activeLink()).toBe(`versions/${expected}/tree`);
      expect(await runningVersion()).toBe(expected);
    }
    const status = JSON.parse(await expectOk(onTarget(['status', '--json'])));
    expect(status).toMatchObject({ active: 'v3', rollbackTarget: 'v1', restartUnits: [UNIT] });
    expect((await ledgerEntry('deploy-rollback', 'v3'))?.result).toBe('ok');
  });

  it('refuses to roll back past the start of the history', async () => {
    await expectOk(onTarget(['rollback']));
    const { code, stderr } = await onTarget(['rollback']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot roll back: v1 is the only version in the activation history/);
  });
});
