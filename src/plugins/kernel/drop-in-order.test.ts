import { describe, expect, it } from 'vitest';
import { orderDropIns } from './drop-in-order.js';

describe('orderDropIns', () => {
  it('lets /etc hide same-named vendor files and sorts the rest by name across directories', () => {
    const order = orderDropIns([
      { dir: '/etc/sysctl.d', names: ['50-pid-max.conf', '99-sysctl.conf', 'README.sysctl'] },
      { dir: '/run/sysctl.d', names: ['10-runtime.conf'] },
      { dir: '/usr/lib/sysctl.d', names: ['50-default.conf', '50-pid-max.conf', '99-protect-links.conf'] },
    ]);
    expect(order.files.map((file) => file.path)).toEqual([
      '/run/sysctl.d/10-runtime.conf',
      '/usr/lib/sysctl.d/50-default.conf',
      '/etc/sysctl.d/50-pid-max.conf',
      '/usr/lib/sysctl.d/99-protect-links.conf',
      '/etc/sysctl.d/99-sysctl.conf',
    ]);
    expect(order.shadowed).toEqual([
      { path: '/usr/lib/sysctl.d/50-pid-max.conf', shadowedBy: '/etc/sysctl.d/50-pid-max.conf' },
    ]);
  });

  it('ignores hidden files and other suffixes, and handles empty directories', () => {
    const order = orderDropIns([
      { dir: '/etc/modprobe.d', names: ['.hidden.conf', 'blacklist.conf.dpkg-old', 'local.conf'] },
      { dir: '/usr/lib/modprobe.d', names: [] },
    ]);
    expect(order.files).toEqual([
      { name: 'local.conf', dir: '/etc/modprobe.d', path: '/etc/modprobe.d/local.conf' },
    ]);
    expect(orderDropIns([])).toEqual({ files: [], shadowed: [] });
  });
});
