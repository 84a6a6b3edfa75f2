import { describe, expect, it } from 'vitest';
import { parseListUnitsReply } from './list-units.js';

const row = (name: string, active: string, sub: string, description = `${name} daemon`) => [
  name,
  description,
  'loaded',
  active,
  sub,
  '',
  `/org/freedesktop/systemd1/unit/${name}`,
  0,
  '',
  '/',
];

describe('parseListUnitsReply', () => {
  it('keeps name, description and states, sorted by name', () => {
    const units = parseListUnitsReply([
      row('ssh.service', 'active', 'running'),
      row('cron.service', 'active', 'running', 'Regular background program processing daemon'),
    ]);
    expect(units).toEqual([
      {
        name: 'cron.service',
        description: 'Regular background program processing daemon',
        loadState: 'loaded',
        activeState: 'active',
        subState: 'running',
      },
      {
        name: 'ssh.service',
        description: 'ssh.service daemon',
        loadState: 'loaded',
        activeState: 'active',
        subState: 'running',
      },
    ]);
  });
  it('drops rows of the wrong shape and invalid unit names', () => {
    const units = parseListUnitsReply([
      row('good.service', 'inactive', 'dead'),
      ['short.service', 'x'],
      [42, 'd', 'loaded', 'active', 'running'],
      row('not a unit', 'active', 'running'),
      'garbage',
      null,
    ]);
    expect(units.map((unit) => unit.name)).toEqual(['good.service']);
  });
  it('returns nothing for a reply that is not a list', () => {
    expect(parseListUnitsReply(undefined)).toEqual([]);
    expect(parseListUnitsReply({})).toEqual([]);
    expect(parseListUnitsReply([])).toEqual([]);
  });
});
