import { describe, expect, it } from 'vitest';
import { mergeAdminFiles } from './merge-admin-files.js';

describe('mergeAdminFiles', () => {
  it('applies sysctl files by name, then /etc/sysctl.conf once, and skips masks', () => {
    const merged = mergeAdminFiles({
      '/etc/sysctl.d/60-local.conf': { content: 'vm.swappiness = 10\nkernel.pid_max = 65536\n' },
      '/etc/sysctl.d/70-masked.conf': { masked: true },
      '/etc/sysctl.d/80-late.conf': { content: '-net.core.somaxconn = 4096\nvm.swappiness = 30\n' },
      '/etc/sysctl.d/99-sysctl.conf': { linkTo: '/etc/sysctl.conf' },
      '/etc/sysctl.conf': { content: 'net.ipv4.ip_forward=1\nvm.swappiness = 20\n' },
    });
    expect(merged.sysctl).toEqual({
      'kernel.pid_max': { value: '65536', ignoreFailure: false },
      'net.core.somaxconn': { value: '4096', ignoreFailure: true },
      'net.ipv4.ip_forward': { value: '1', ignoreFailure: false },
      'vm.swappiness': { value: '20', ignoreFailure: false },
    });
  });

  it('reads /etc/sysctl.conf last when no drop-in links to it', () => {
    const merged = mergeAdminFiles({
      '/etc/sysctl.d/99-z.conf': { content: 'vm.swappiness = 1\n' },
      '/etc/sysctl.conf': { content: 'vm.swappiness = 2\n' },
    });
    expect(merged.sysctl).toEqual({ 'vm.swappiness': { value: '2', ignoreFailure: false } });
  });

  it('follows links to another admin file of any set', () => {
    const merged = mergeAdminFiles({
      '/etc/modules-load.d/modules.conf': { linkTo: '/etc/modules' },
      '/etc/modules-load.d/zz.conf': { linkTo: '/etc/modules-load.d/modules.conf' },
      '/etc/modules': { content: 'loop\nbr-netfilter\n' },
      '/etc/modprobe.d/a.conf': { content: 'options loop max_loop=8\nblacklist pcspkr\n' },
      '/etc/modprobe.d/b.conf': { content: 'options loop max_part=4\ninstall foo /bin/true\n' },
    });
    expect(merged.modulesLoad).toEqual(['br_netfilter', 'loop']);
    expect(merged.modprobe).toEqual({
      options: { loop: ['max_loop=8', 'max_part=4'] },
      blacklist: ['pcspkr'],
      install: { foo: '/bin/true' },
      remove: {},
      aliases: [],
      softdeps: {},
    });
  });

  it('gives empty values for no files', () => {
    expect(mergeAdminFiles({})).toEqual({
      modulesLoad: [],
      modprobe: { options: {}, blacklist: [], install: {}, remove: {}, aliases: [], softdeps: {} },
      sysctl: {},
    });
  });
});
