import { describe, expect, it } from 'vitest';
import type { OvsdbOperation } from './operations.js';
import { checkTransactResults } from './transact-results.js';

const ops: OvsdbOperation[] = [
  { op: 'insert', table: 'Bridge', row: { name: 'br0' }, 'uuid-name': 'br' },
  {
    op: 'mutate',
    table: 'Open_vSwitch',
    where: [],
    mutations: [['bridges', 'insert', ['named-uuid', 'br']]],
  },
];

describe('checkTransactResults', () => {
  it('returns one result per operation when all succeeded', () => {
    expect(checkTransactResults(ops, [{ uuid: ['uuid', 'u1'] }, { count: 1 }])).toEqual([
      { uuid: ['uuid', 'u1'] },
      { count: 1 },
    ]);
  });

  it('names the failed operation and the server error; later nulls are skipped', () => {
    expect(() =>
      checkTransactResults(ops, [{ error: 'constraint violation', details: 'name must be unique' }, null]),
    ).toThrow(/operation 0 \(insert\): constraint violation: name must be unique; nothing was changed/);
  });

  it('reports a failed commit from the trailing element', () => {
    expect(() =>
      checkTransactResults(ops, [
        { uuid: ['uuid', 'u1'] },
        { count: 1 },
        { error: 'referential integrity violation' },
      ]),
    ).toThrow(/operation 2 \(commit\): referential integrity violation/);
  });

  it('refuses a reply with fewer results than operations', () => {
    expect(() => checkTransactResults(ops, [{ uuid: ['uuid', 'u1'] }])).toThrow(/answered 1 of 2/);
  });
});
