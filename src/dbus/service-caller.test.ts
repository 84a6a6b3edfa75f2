import { describe, expect, it } from 'vitest';
import { CallerLookup } from './service-caller.js';

/** A bus driver that knows uid and pid of the senders `:1.N` (uid 1000+N, pid N) and counts questions. */
function fakeDriver(options: { pidKnown?: boolean; failFirst?: boolean } = {}) {
  const asked: string[] = [];
  let failures = options.failFirst ? 1 : 0;
  const ask = async (member: string, sender: string) => {
    asked.push(`${member} ${sender}`);
    const n = Number(sender.slice(3));
    if (member === 'GetConnectionUnixUser') {
      if (failures > 0) {
        failures--;
        throw new Error('bus busy');
      }
      return 1000 + n;
    }
    if (options.pidKnown === false) throw new Error('no pid');
    return n;
  };
  return { ask, asked };
}

describe('CallerLookup', () => {
  it('asks the bus once per connection', async () => {
    const driver = fakeDriver();
    const lookup = new CallerLookup(driver.ask);
    expect(await lookup.lookup(':1.5')).toEqual({ sender: ':1.5', uid: 1005, pid: 5 });
    expect(await lookup.lookup(':1.5')).toEqual({ sender: ':1.5', uid: 1005, pid: 5 });
    expect(driver.asked).toEqual(['GetConnectionUnixUser :1.5', 'GetConnectionUnixProcessID :1.5']);
  });

  it('identifies a caller without a pid when the bus cannot tell it', async () => {
    const lookup = new CallerLookup(fakeDriver({ pidKnown: false }).ask);
    expect(await lookup.lookup(':1.7')).toEqual({ sender: ':1.7', uid: 1007 });
  });

  it('does not remember a failed lookup', async () => {
    const lookup = new CallerLookup(fakeDriver({ failFirst: true }).ask);
    await expect(lookup.lookup(':1.2')).rejects.toThrow('bus busy');
    expect(await lookup.lookup(':1.2')).toMatchObject({ uid: 1002 });
  });

  it('forgets the connection asked about longest ago beyond its bound', async () => {
    const driver = fakeDriver();
    const lookup = new CallerLookup(driver.ask, 2);
    for (const sender of [':1.1', ':1.2', ':1.3', ':1.3', ':1.2', ':1.1']) await lookup.lookup(sender);
    const userQuestions = driver.asked.filter((question) => question.startsWith('GetConnectionUnixUser'));
    expect(userQuestions).toEqual([
      'GetConnectionUnixUser :1.1',
      'GetConnectionUnixUser :1.2',
      'GetConnectionUnixUser :1.3',
      'GetConnectionUnixUser :1.1',
    ]);
  });
});
