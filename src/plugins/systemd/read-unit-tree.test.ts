import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Machine } from '../../machine/machine.js';
import { readAdminUnitFiles } from './admin-files.js';
import { systemdPlugin } from './index.js';
import { readUnitTree } from './read-unit-tree.js';
import { DEFAULT_SYSTEM_UNIT_PATH, deriveUnitFileStates } from './unit-file-state.js';

const WANTED = '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n';
const TIMESYNCD =
  '[Service]\nExecStart=/lib/systemd/systemd-timesyncd\n[Install]\nWantedBy=sysinit.target\nAlias=dbus-org.freedesktop.timesync1.service\n';

// A merged-/usr Debian root: /lib is a symlink to usr/lib, so /lib/systemd/system and /usr/lib/systemd/system
// are one directory, and absolute symlinks inside the root must resolve inside it.
let root: string;

function write(path: string, content: string): void {
  mkdirSync(join(root, dirname(path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

function link(path: string, target: string): void {
  mkdirSync(join(root, dirname(path)), { recursive: true });
  symlinkSync(target, join(root, path));
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'opdbus-systemd-'));
  mkdirSync(join(root, 'usr/lib/systemd/system'), { recursive: true });
  symlinkSync('usr/lib', join(root, 'lib'));
  write('/usr/lib/systemd/system/systemd-timesyncd.service', TIMESYNCD);
  link('/usr/lib/systemd/system/dbus-org.freedesktop.timesync1.service', 'systemd-timesyncd.service');
  write('/usr/lib/systemd/system/graphical.target', '[Unit]\nDescription=Graphical Interface\n');
  write('/usr/lib/systemd/system/multi-user.target', '[Unit]\nDescription=Multi-User System\n');
  link('/usr/lib/systemd/system/default.target', 'graphical.target');
  link('/etc/systemd/system/default.target', '/lib/systemd/system/multi-user.target');
  link(
    '/etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service',
    '/lib/systemd/system/systemd-timesyncd.service',
  );
  write('/usr/lib/systemd/system/cron.service', WANTED);
  link('/etc/systemd/system/cron.service', '/dev/null');
  write('/opt/app/app.service', `${WANTED}Environment=API_TOKEN=s3cr3t-value\n`);
  link('/etc/systemd/system/app.service', '/opt/app/app.service');
  link('/etc/systemd/system/multi-user.target.wants/app.service', '/opt/app/app.service');
  write(
    '/etc/systemd/system/local.service',
    '[Service]\nExecStart=/usr/local/bin/local --password hunter2\n',
  );
  write('/etc/systemd/system/cron.service.d/override.conf', '[Service]\nNice=5\n');
  link('/etc/systemd/system/systemd-timesyncd.service.d/vendor.conf', '/dev/null');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('readUnitTree', () => {
  // The expected states are what `systemctl --root` answers for the same tree (with a /dev/null in it).
  it('reads what deriveUnitFileStates needs, through the machine root', async () => {
    const tree = await readUnitTree(new Machine({ root }).files, DEFAULT_SYSTEM_UNIT_PATH);
    const derived = deriveUnitFileStates(tree);
    expect(derived.unclassified).toEqual(new Map());
    expect(Object.fromEntries(derived.states)).toEqual({
      'app.service': 'enabled',
      'cron.service': 'masked',
      'dbus-org.freedesktop.timesync1.service': 'alias',
      'default.target': 'alias',
      'graphical.target': 'static',
      'local.service': 'static',
      // /etc/systemd/system/default.target links to it under another name.
      'multi-user.target': 'indirect',
      'systemd-timesyncd.service': 'enabled',
    });
  });

  it('reads a directory that has two names in the search path once and mirrors it', async () => {
    const tree = await readUnitTree(new Machine({ root }).files, DEFAULT_SYSTEM_UNIT_PATH);
    expect(tree.nodes.get('/usr/lib/systemd/system/dbus-org.freedesktop.timesync1.service')).toEqual(
      tree.nodes.get('/lib/systemd/system/dbus-org.freedesktop.timesync1.service'),
    );
  });
});

describe('readAdminUnitFiles', () => {
  it('keeps admin unit files and drop-ins with secrets redacted, and links to files elsewhere', async () => {
    const admin = await readAdminUnitFiles(new Machine({ root }).files, DEFAULT_SYSTEM_UNIT_PATH);
    expect(Object.fromEntries(admin.files)).toEqual({
      '/etc/systemd/system/app.service': { linkTo: '/opt/app/app.service' },
      '/etc/systemd/system/cron.service.d/override.conf': { content: '[Service]\nNice=5\n' },
      '/etc/systemd/system/local.service': {
        content: '[Service]\nExecStart=/usr/local/bin/local --password [REDACTED]\n',
      },
      '/etc/systemd/system/systemd-timesyncd.service.d/vendor.conf': { linkTo: '/dev/null' },
    });
    expect(admin.redactions).toEqual([
      {
        path: ['config', 'files', '/etc/systemd/system/local.service'],
        reason: 'secret-named option --password',
      },
    ]);
  });
});

describe('systemdPlugin without a bus', () => {
  const machine = () => new Machine({ root, busAddress: `unix:path=${root}/run/dbus/none`, timeoutMs: 500 });

  it('is available from the unit directories alone', async () => {
    expect(await systemdPlugin.available(machine())).toEqual({ ok: true });
  });

  it('discovers unit-file states, the default target and admin files from the directories', async () => {
    const found = await systemdPlugin.discover(machine(), { managedBusNames: new Map() });
    expect(found.config.defaultTarget).toBe('multi-user.target');
    expect(found.config.unitFiles['app.service']).toBe('enabled');
    expect(found.config.activeState).toEqual({});
    expect(Object.keys(found.config.files)).toEqual([...Object.keys(found.config.files)].sort());
    expect(found.facts).toMatchObject({
      source: 'files',
      unitFileStatesFrom: 'unit-directories',
      version: null,
      units: {},
    });
    expect(found.facts.busUnavailableReason).toContain('does not exist');
    expect(systemdPlugin.configSchema.safeParse(found.config).success).toBe(true);
    expect(systemdPlugin.factsSchema.safeParse(found.facts).success).toBe(true);
  });

  it('says why it is unavailable when the root has no unit directories', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'opdbus-empty-'));
    try {
      const availability = await systemdPlugin.available(
        new Machine({ root: empty, busAddress: `unix:path=${empty}/none` }),
      );
      expect(availability).toMatchObject({ ok: false });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
