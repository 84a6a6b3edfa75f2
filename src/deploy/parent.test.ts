import { describe, expect, it } from 'vitest';
import { MANIFEST_FORMAT, type Manifest } from './manifest.js';
import { chooseAutoParent } from './parent.js';

function version(name: string, uuid: string): Manifest {
  return {
    format: MANIFEST_FORMAT,
    name,
    parent: null,
    uuid,
    generation: 1,
    created: '2026-01-01T00:00:00.000Z',
    sourceHost: null,
    sizes: { files: 0, directories: 0, symlinks: 0, bytes: 0 },
  };
}

const uuid = (digit: string) =>
  `${digit.repeat(8)}-${digit.repeat(4)}-${digit.repeat(4)}-${digit.repeat(4)}-${digit.repeat(12)}`;
const v1 = version('v1', uuid('1'));
const v2 = version('v2', uuid('2'));
const v3 = version('v3', uuid('3'));
const newestFirst = [v3, v2, v1];

describe('chooseAutoParent', () => {
  it('picks the newest version the receiver has, matched by identity not by name', () => {
    const choice = chooseAutoParent(v3, newestFirst, [
      { name: 'v1', uuid: uuid('1') },
      { name: 'restored-copy', uuid: uuid('2') },
    ]);
    expect(choice).toEqual({ kind: 'incremental', base: v2 });
  });

  it('ignores a receiver version that only shares a name', () => {
    expect(chooseAutoParent(v3, newestFirst, [{ name: 'v2', uuid: uuid('9') }])).toMatchObject({
      kind: 'full',
    });
  });

  it('sends a full stream to an empty receiver and nothing to one that has the version', () => {
    expect(chooseAutoParent(v3, newestFirst, [])).toEqual({
      kind: 'full',
      reason: 'the receiver has no versions',
    });
    expect(chooseAutoParent(v3, newestFirst, [{ name: 'v3', uuid: uuid('3') }])).toEqual({
      kind: 'already-there',
      receiverName: 'v3',
    });
  });
});
