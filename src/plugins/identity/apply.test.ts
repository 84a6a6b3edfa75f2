import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbusConnection } from '../../dbus/connection.js';
import type { Change } from '../../engine/change.js';
import { Machine } from '../../machine/machine.js';
import { applyIdentityChange, checkpointIdentity, undoIdentityChange } from './apply.js';

const CONTEXT = { progress: () => {}, changeTimeoutMs: 5_000 };
let root: string;

/**
 * A bus whose hostname1 and timedate1 write files the way the real services do (timedated's link is relative),
 * recording each call; `refuse` makes a method fail as a service refusing a value would.
 */
class FakeServicesMachine extends Machine {
  readonly calls: string[] = [];
  refuse?: string;

  constructor(root: string) {
    super({ root, busAddress: 'unix:path=/nonexistent/bus' });
  }

  override bus(): Promise<DbusConnection> {
    const connection = {
      call: async (
        _service: string,
        _path: string,
        _iface: string,
        member: string,
        options: { args: unknown[] },
      ) => {
        if (member === this.refuse) throw new Error(`${member}: Invalid hostname '${options.args[0]}'`);
        this.calls.push(`${member} ${JSON.stringify(options.args)}`);
        if (member === 'SetStaticHostname')
          await writeFile(join(root, 'etc/hostname'), `${options.args[0]}\n`);
        if (member === 'SetTimezone') {
          await rm(join(root, 'etc/localtime'));
          await symlink(`../usr/share/zoneinfo/${options.args[0]}`, join(root, 'etc/localtime'));
        }
        return [];
      },
      getProperty: async () => ['LANG=C.UTF-8'],
    };
    return Promise.resolve(connection as unknown as DbusConnection);
  }
}

function change(kind: string, before: unknown, after: unknown): Change {
  return {
    id: `identity:${kind}:x`,
    plugin: 'identity',
    kind,
    action: 'update',
    target: 'x',
    phase: 'settings',
    description: '',
    reason: '',
    risk: 'low',
    before,
    after,
  };
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-identity-apply-'));
  await mkdir(join(root, 'etc'));
  await writeFile(join(root, 'etc/hostname'), 'old-name\n', { mode: 0o600 });
  await symlink('/usr/share/zoneinfo/Etc/UTC', join(root, 'etc/localtime'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('identity apply and undo', () => {
  it('sets through the service, and undo sets the old value then puts back the files it left different', async () => {
    const machine = new FakeServicesMachine(root);
    const changes = [
      change('static-hostname', 'old-name', 'new-name'),
      change('timezone', 'Etc/UTC', 'Europe/Warsaw'),
    ];
    const checkpoint = JSON.parse(JSON.stringify(await checkpointIdentity(changes, machine)));
    for (const planned of changes) await applyIdentityChange(planned, machine, CONTEXT);
    expect(await readlink(join(root, 'etc/localtime'))).toBe('../usr/share/zoneinfo/Europe/Warsaw');

    for (const planned of [...changes].reverse())
      await undoIdentityChange(planned, checkpoint, machine, CONTEXT);

    expect(machine.calls).toEqual([
      'SetStaticHostname ["new-name",false]',
      'SetTimezone ["Europe/Warsaw",false]',
      'SetTimezone ["Etc/UTC",false]',
      'SetStaticHostname ["old-name",false]',
    ]);
    // The service's relative link is replaced by the original absolute one, and the file gets its mode back.
    expect(await readlink(join(root, 'etc/localtime'))).toBe('/usr/share/zoneinfo/Etc/UTC');
    expect(await readFile(join(root, 'etc/hostname'), 'utf8')).toBe('old-name\n');
    expect((await lstat(join(root, 'etc/hostname'))).mode & 0o777).toBe(0o600);
  });

  it('unsets a value that was unset, and keeps the locale localed worked from for its undo', async () => {
    const machine = new FakeServicesMachine(root);
    const pretty = change('pretty-hostname', undefined, 'Web 02');
    const locale = change('locale', {}, { LANG: 'C.UTF-8', LC_TIME: 'C' });
    const checkpoint = await checkpointIdentity([pretty, locale], machine);
    expect(checkpoint.heldLocale).toEqual({ LANG: 'C.UTF-8' });
    await undoIdentityChange(pretty, checkpoint, machine, CONTEXT);
    await undoIdentityChange(locale, checkpoint, machine, CONTEXT);
    expect(machine.calls[0]).toBe('SetPrettyHostname ["",false]');
    expect(machine.calls[1]).toMatch(
      /^SetLocale \[\["LANG=C\.UTF-8","LANGUAGE=C\.UTF-8",.*"LC_TIME=C\.UTF-8",/,
    );
  });

  it('names the setting and the value a service refuses', async () => {
    const machine = new FakeServicesMachine(root);
    machine.refuse = 'SetStaticHostname';
    await expect(
      applyIdentityChange(change('static-hostname', 'old-name', 'bad'), machine, CONTEXT),
    ).rejects.toThrow(`cannot set the static hostname to "bad": SetStaticHostname: Invalid hostname 'bad'`);
  });

  it('still puts the files back when the service refuses the old value', async () => {
    const machine = new FakeServicesMachine(root);
    const rename = change('static-hostname', 'old-name', 'new-name');
    const checkpoint = await checkpointIdentity([rename], machine);
    await applyIdentityChange(rename, machine, CONTEXT);
    machine.refuse = 'SetStaticHostname';
    await expect(undoIdentityChange(rename, checkpoint, machine, CONTEXT)).rejects.toThrow(/old-name/);
    expect(await readFile(join(root, 'etc/hostname'), 'utf8')).toBe('old-name\n');
  });
});
