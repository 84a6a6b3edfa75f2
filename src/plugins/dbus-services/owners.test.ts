import { describe, expect, it } from 'vitest';
import type { DbusConnection } from '../../dbus/connection.js';
import { DbusCallError, DbusTimeoutError } from '../../dbus/errors.js';
import type { RootFs } from '../../machine/root-fs.js';
import { createLimiter, type Limiter } from './limiter.js';
import { describeOwner, type OwnerLookup } from './owners.js';

const target = { service: ':1.1', path: '/org/freedesktop/systemd1', iface: 'x', member: 'GetUnitByPID' };

/** A bus where the owner runs as PID 42, uid 0, and systemd answers GetUnitByPID with `unitReply`. */
function fakeBus(unitReply: () => Promise<unknown>, calls: string[] = []): DbusConnection {
  return {
    async callOne(_service: string, _path: string, _iface: string, member: string): Promise<unknown> {
      calls.push(member);
      if (member === 'GetConnectionCredentials') return { ProcessID: 42, UnixUserID: 0 };
      return unitReply();
    },
  } as unknown as DbusConnection;
}

function lookup(bus: DbusConnection, limit: Limiter = createLimiter(4)): OwnerLookup {
  return {
    bus,
    files: {} as RootFs,
    systemdOwner: ':1.1',
    limit,
    procMatchesBus: Promise.resolve(false),
  };
}

describe('describeOwner', () => {
  it('names the unit of the owning process', async () => {
    const bus = fakeBus(async () => '/org/freedesktop/systemd1/unit/cron_2eservice');
    expect(await describeOwner(lookup(bus), ':1.7')).toEqual({ pid: 42, uid: 0, unit: 'cron.service' });
  });

  it('waits for a slot of the shared limiter before asking systemd', async () => {
    const limit = createLimiter(1);
    let release = () => {};
    const held = limit(() => new Promise<void>((resolve) => (release = resolve)));
    const calls: string[] = [];
    const bus = fakeBus(async () => '/org/freedesktop/systemd1/unit/cron_2eservice', calls);
    const described = describeOwner(lookup(bus, limit), ':1.7');
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['GetConnectionCredentials']);
    release();
    await held;
    expect(await described).toMatchObject({ unit: 'cron.service' });
    expect(calls).toEqual(['GetConnectionCredentials', 'GetUnitByPID']);
  });

  it('treats a process in no unit as having none, without an error', async () => {
    const bus = fakeBus(async () => {
      throw new DbusCallError(target, 'org.freedesktop.systemd1.NoUnitForPID', 'PID 42 does not belong');
    });
    expect(await describeOwner(lookup(bus), ':1.7')).toEqual({ pid: 42, uid: 0 });
  });

  it('records why the unit is unknown when the lookup fails', async () => {
    const refused = fakeBus(async () => {
      throw new DbusCallError(target, 'org.freedesktop.DBus.Error.LimitsExceeded', 'too many replies');
    });
    expect(await describeOwner(lookup(refused), ':1.7')).toEqual({
      pid: 42,
      uid: 0,
      unitError: expect.stringContaining('too many replies'),
    });
    const silent = fakeBus(async () => {
      throw new DbusTimeoutError(target, 100);
    });
    expect((await describeOwner(lookup(silent), ':1.7')).unitError).toMatch(/no reply within 100 ms/);
  });
});
