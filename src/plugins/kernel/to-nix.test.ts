import { describe, expect, it } from 'vitest';
import type { KernelConfig } from './schema.js';
import { kernelToNix, modprobeConfigText } from './to-nix.js';

const EMPTY_MODPROBE: KernelConfig['modprobe'] = {
  options: {},
  blacklist: [],
  install: {},
  remove: {},
  aliases: [],
  softdeps: {},
};

function config(overrides: Partial<KernelConfig> = {}): KernelConfig {
  return { files: {}, commandLine: [], modulesLoad: [], modprobe: EMPTY_MODPROBE, sysctl: {}, ...overrides };
}

describe('kernelToNix', () => {
  it('maps the command line, modules, blacklist and sysctl', () => {
    const { options, unmapped } = kernelToNix(
      config({
        commandLine: ['quiet', 'console=ttyS0'],
        modulesLoad: ['br_netfilter'],
        modprobe: { ...EMPTY_MODPROBE, blacklist: ['pcspkr'] },
        sysctl: { 'vm.swappiness': { value: '10', ignoreFailure: false } },
      }),
    );
    expect(options).toEqual([
      { path: ['boot', 'kernelParams'], value: ['quiet', 'console=ttyS0'] },
      { path: ['boot', 'kernelModules'], value: ['br_netfilter'] },
      { path: ['boot', 'blacklistedKernelModules'], value: ['pcspkr'] },
      { path: ['boot', 'kernel', 'sysctl'], value: { 'vm.swappiness': '10' } },
    ]);
    expect(unmapped).toEqual([]);
  });

  it('lists globs, exclusions, ignored failures, secrets, masks and a missing command line', () => {
    const { options, unmapped } = kernelToNix(
      config({
        commandLine: null,
        files: { '/etc/sysctl.d/10-x.conf': { masked: true } },
        sysctl: {
          'net.ipv4.conf.*.rp_filter': { value: '2', ignoreFailure: false },
          'net.ipv4.conf.lo.rp_filter': { value: null, ignoreFailure: false },
          'kernel.x': { value: '1', ignoreFailure: true },
          'kernel.y': { value: '[REDACTED]', ignoreFailure: false },
        },
      }),
    );
    expect(options.find((option) => option.path.at(-1) === 'sysctl')?.value).toEqual({ 'kernel.x': '1' });
    expect(unmapped.map((entry) => entry.item)).toEqual([
      '$.sections.kernel.config.commandLine',
      '$.sections.kernel.config.sysctl["net.ipv4.conf.*.rp_filter"]',
      '$.sections.kernel.config.sysctl["net.ipv4.conf.lo.rp_filter"]',
      '$.sections.kernel.config.sysctl["kernel.x"].ignoreFailure',
      '$.sections.kernel.config.sysctl["kernel.y"]',
      '$.sections.kernel.config.files["/etc/sysctl.d/10-x.conf"]',
    ]);
  });

  it('writes the rest of modprobe.d as boot.extraModprobeConfig text', () => {
    const modprobe: KernelConfig['modprobe'] = {
      options: { zfs: ['zfs_arc_max=1'], kvm: [] },
      blacklist: [],
      install: { floppy: '/bin/false' },
      remove: { loop: '/bin/true' },
      aliases: [{ pattern: 'net-pf-10', module: 'off' }],
      softdeps: { a: { pre: ['b'], post: [] }, c: { pre: [], post: ['d', 'e'] } },
    };
    expect(modprobeConfigText(modprobe)).toBe(
      'alias net-pf-10 off\noptions zfs zfs_arc_max=1\ninstall floppy /bin/false\nremove loop /bin/true\nsoftdep a pre: b\nsoftdep c post: d e\n',
    );
    expect(kernelToNix(config({ modprobe })).options.at(-1)?.path).toEqual(['boot', 'extraModprobeConfig']);
    expect(kernelToNix(config()).options.map((option) => option.path.at(-1))).not.toContain(
      'extraModprobeConfig',
    );
  });
});
