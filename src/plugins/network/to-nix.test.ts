import { describe, expect, it } from 'vitest';
import { networkToNix } from './to-nix.js';

describe('networkToNix', () => {
  it('puts .network and .link files verbatim in extraConfig, and netdevs and drop-ins in environment.etc', () => {
    const { options, unmapped } = networkToNix({
      files: {
        '/etc/systemd/network/10-eth.network': {
          kind: 'network',
          masked: false,
          content: '[Match]\nName=eth0\n',
        },
        '/etc/systemd/network/10-eth.link': {
          kind: 'link',
          masked: false,
          content: '[Link]\nMTUBytes=9000\n',
        },
        '/etc/systemd/network/br0.netdev': { kind: 'netdev', masked: false, content: '[NetDev]\nName=br0\n' },
        '/etc/systemd/network/10-eth.network.d/dns.conf': {
          kind: 'network',
          masked: false,
          content: '[Network]\nDNS=1.1.1.1\n',
        },
      },
    });
    expect(options).toEqual([
      { path: ['systemd', 'network', 'networks', '10-eth', 'extraConfig'], value: '[Match]\nName=eth0\n' },
      { path: ['systemd', 'network', 'links', '10-eth', 'extraConfig'], value: '[Link]\nMTUBytes=9000\n' },
      { path: ['environment', 'etc', 'systemd/network/br0.netdev', 'text'], value: '[NetDev]\nName=br0\n' },
      {
        path: ['environment', 'etc', 'systemd/network/10-eth.network.d/dns.conf', 'text'],
        value: '[Network]\nDNS=1.1.1.1\n',
      },
      { path: ['systemd', 'network', 'enable'], value: true },
    ]);
    expect(unmapped).toEqual([]);
  });

  it('lists masks and files with withheld secrets, and leaves networkd alone without files', () => {
    const { options, unmapped } = networkToNix({
      files: {
        '/etc/systemd/network/99-default.link': { kind: 'link', masked: true, content: '' },
        '/etc/systemd/network/wg0.netdev': {
          kind: 'netdev',
          masked: false,
          content: 'PrivateKey=[REDACTED]\n',
        },
      },
    });
    expect(options).toEqual([]);
    expect(unmapped.map((entry) => entry.reason)).toEqual([
      'a mask of a vendor networkd file has no NixOS option',
      'the capture withheld a secret in it',
    ]);
  });
});
