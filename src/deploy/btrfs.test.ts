import { describe, expect, it } from 'vitest';
import { btrfsMessage, parseSubvolumeShow } from './btrfs.js';

const SHOW = `recv/v3/tree
\tName: \t\t\ttree
\tUUID: \t\t\tc0907ef2-e901-5d48-a73b-e1c3dfbfd1d4
\tParent UUID: \t\t-
\tReceived UUID: \t\teb6f97ce-c8a2-ab44-800f-533abdb644ae
\tCreation time: \t\t2026-11-22 04:27:49 +0000
\tSubvolume ID: \t\t259
\tGeneration: \t\t12
\tGen at creation: \t10
\tFlags: \t\t\treadonly
`;

describe('btrfs-progs output', () => {
  it('reads identity, generation and the read-only flag from subvolume show', () => {
    expect(parseSubvolumeShow(SHOW)).toEqual({
      uuid: 'c0907ef2-e901-5d48-a73b-e1c3dfbfd1d4',
      receivedUuid: 'eb6f97ce-c8a2-ab44-800f-533abdb644ae',
      generation: 10,
      readOnly: true,
    });
    const writable = parseSubvolumeShow(
      SHOW.replace('readonly', '-').replace(/Received UUID: \t\t.*/, 'Received UUID: -'),
    );
    expect(writable.readOnly).toBe(false);
    expect(writable.receivedUuid).toBeUndefined();
  });

  it('keeps the last error lines and drops progress lines', () => {
    expect(btrfsMessage('At subvol tree\nERROR: crc32 mismatch in command\n')).toBe(
      'ERROR: crc32 mismatch in command',
    );
  });
});
