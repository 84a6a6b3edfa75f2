import { describe, expect, it } from 'vitest';
import { parsePackageId } from './package-id.js';

describe('parsePackageId', () => {
  it('splits name, version (with epoch), architecture and data', () => {
    expect(parsePackageId('libc6;2.36-9+deb12u4;amd64;installed:debian-bookworm-main')).toEqual({
      name: 'libc6',
      version: '2.36-9+deb12u4',
      architecture: 'amd64',
      data: 'installed:debian-bookworm-main',
    });
    expect(parsePackageId('vim-tiny;2:9.0.1378-2;amd64;')).toEqual({
      name: 'vim-tiny',
      version: '2:9.0.1378-2',
      architecture: 'amd64',
      data: '',
    });
  });

  it('rejects ids with the wrong number of parts or no name or version', () => {
    expect(parsePackageId('')).toBeUndefined();
    expect(parsePackageId('bash;5.2.15-2+b2;amd64')).toBeUndefined();
    expect(parsePackageId('bash;5.2;amd64;data;extra')).toBeUndefined();
    expect(parsePackageId(';5.2;amd64;installed')).toBeUndefined();
    expect(parsePackageId('bash;;amd64;installed')).toBeUndefined();
  });
});
