import { describe, expect, it } from 'vitest';
import type { DbusConnection } from '../../dbus/connection.js';
import { listUnitFileStates } from './manager.js';

function busAnswering(rows: unknown): DbusConnection {
  return { callOne: async () => rows } as unknown as DbusConnection;
}

describe('listUnitFileStates', () => {
  it('names each unit file by its file name', async () => {
    const listed = await listUnitFileStates(
      busAnswering([
        ['/lib/systemd/system/cron.service', 'enabled'],
        ['/etc/systemd/system/getty@.service', 'enabled'],
      ]),
    );
    expect(Object.fromEntries(listed.states)).toEqual({
      'cron.service': 'enabled',
      'getty@.service': 'enabled',
    });
    expect(listed.invalid).toEqual([]);
  });

  it('skips names that are no unit names and reports them, so one odd file cannot fail the section', async () => {
    const listed = await listUnitFileStates(
      busAnswering([
        ['/lib/systemd/system/cron.service', 'enabled'],
        ['/etc/systemd/system/bad name.service', 'bad'],
        ['/etc/systemd/system/notes.txt', 'bad'],
      ]),
    );
    expect([...listed.states.keys()]).toEqual(['cron.service']);
    expect(listed.invalid.map((problem) => problem.path)).toEqual([
      '/etc/systemd/system/bad name.service',
      '/etc/systemd/system/notes.txt',
    ]);
    expect(listed.invalid[0]).toMatchObject({
      line: null,
      text: null,
      reason: expect.stringMatching(/unit name/),
    });
  });
});
