import { describe, expect, it } from 'vitest';
import { nixExpression } from '../../export/nix/printer.js';
import { packagesToNix } from './to-nix.js';

const installed = (manual: boolean) => ({ version: '1.0-1', architecture: 'amd64', manual });

describe('packagesToNix', () => {
  it('lists manual packages by nixpkgs attribute, sorted and unique, and names the unmapped ones', () => {
    const { options, unmapped } = packagesToNix({
      packages: {
        vim: installed(true),
        'vim-tiny': installed(true),
        '7zip': installed(true),
        curl: installed(false),
        'libfoo-dev': installed(true),
      },
    });
    expect(options).toEqual([
      {
        path: ['environment', 'systemPackages'],
        value: [nixExpression('pkgs._7zz'), nixExpression('pkgs.vim')],
      },
    ]);
    expect(unmapped).toEqual([
      { item: 'package libfoo-dev', reason: 'no nixpkgs attribute in the mapping table' },
    ]);
  });

  it('does not take inherited object properties for table entries', () => {
    expect(packagesToNix({ packages: { constructor: installed(true) } }).unmapped).toHaveLength(1);
  });
});
