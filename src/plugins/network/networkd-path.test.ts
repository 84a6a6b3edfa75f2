import { describe, expect, it } from 'vitest';
import { configuredFileName, networkdKindOfPath } from './networkd-path.js';

describe('networkdKindOfPath', () => {
  it('gives the kind of files and drop-ins networkd reads', () => {
    expect(networkdKindOfPath('/etc/systemd/network/10-eth0.network')).toBe('network');
    expect(networkdKindOfPath('/etc/systemd/network/wg0.netdev')).toBe('netdev');
    expect(networkdKindOfPath('/etc/systemd/network/99-default.link.d/mac.conf')).toBe('link');
  });

  it('gives nothing for anything else', () => {
    for (const path of [
      '/etc/systemd/network',
      '/etc/systemd/network/',
      '/etc/systemd/network/x.network.d',
      '/etc/systemd/network/x.network.d/.hidden.conf',
      '/etc/systemd/network/./x.network',
      '/etc/systemd/networkx/a.network',
      '/etc/systemd/network/tab\t.network',
    ])
      expect(networkdKindOfPath(path), path).toBeUndefined();
  });
});

describe('configuredFileName', () => {
  it('is the file name, or the name its drop-in directory configures', () => {
    expect(configuredFileName('/etc/systemd/network/80-container-host0.network')).toBe(
      '80-container-host0.network',
    );
    expect(configuredFileName('/etc/systemd/network/80-container-host0.network.d/mtu.conf')).toBe(
      '80-container-host0.network',
    );
  });
});
