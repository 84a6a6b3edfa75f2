import { describe, expect, it } from 'vitest';
import {
  isSysctlGlob,
  mergeSysctlFiles,
  normalizeSysctlKey,
  parseSysctlConf,
  sysctlProcPath,
} from './parse-sysctl.js';

describe('normalizeSysctlKey and sysctlProcPath', () => {
  it('keeps dotted keys and converts slash paths, swapping dots inside components', () => {
    expect(normalizeSysctlKey('kernel.domainname')).toBe('kernel.domainname');
    expect(normalizeSysctlKey('kernel/domainname')).toBe('kernel.domainname');
    expect(normalizeSysctlKey('net/ipv4/conf/enp3s0.200/forwarding')).toBe(
      'net.ipv4.conf.enp3s0/200.forwarding',
    );
    expect(normalizeSysctlKey('net.ipv4.conf.enp3s0/200.forwarding')).toBe(
      'net.ipv4.conf.enp3s0/200.forwarding',
    );
    expect(normalizeSysctlKey('  vm.swappiness ')).toBe('vm.swappiness');
  });

  it('maps both spellings to the same /proc/sys file', () => {
    expect(sysctlProcPath(normalizeSysctlKey('net/ipv4/conf/enp3s0.200/forwarding'))).toBe(
      '/proc/sys/net/ipv4/conf/enp3s0.200/forwarding',
    );
    expect(sysctlProcPath('net.ipv4.conf.enp3s0/200.forwarding')).toBe(
      '/proc/sys/net/ipv4/conf/enp3s0.200/forwarding',
    );
    expect(sysctlProcPath('kernel.pid_max')).toBe('/proc/sys/kernel/pid_max');
  });

  it('recognises glob keys', () => {
    expect(isSysctlGlob('net.ipv4.conf.*.rp_filter')).toBe(true);
    expect(isSysctlGlob('net.ipv4.conf.eth[01].rp_filter')).toBe(true);
    expect(isSysctlGlob('net.ipv4.conf.all.rp_filter')).toBe(false);
  });
});

describe('parseSysctlConf', () => {
  it('parses a realistic file with both comment styles, odd spacing and the - prefix', () => {
    const text = [
      '# /etc/sysctl.d/60-hardening.conf',
      '; legacy comment',
      '',
      'kernel.kptr_restrict=1',
      '   net.ipv4.ip_forward   =   1   ',
      '-net.ipv6.conf.all.disable_ipv6 = 1',
      'net/ipv4/conf/enp3s0.200/forwarding = 0',
      'net.ipv4.ip_local_port_range = 32768 60999',
      'net.ipv4.conf.*.rp_filter = 2',
      '-net.ipv4.conf.lo.rp_filter',
      'kernel.core_pattern =',
    ].join('\n');
    expect(parseSysctlConf(text)).toEqual({
      entries: [
        { key: 'kernel.kptr_restrict', value: '1', ignoreFailure: false },
        { key: 'net.ipv4.ip_forward', value: '1', ignoreFailure: false },
        { key: 'net.ipv6.conf.all.disable_ipv6', value: '1', ignoreFailure: true },
        { key: 'net.ipv4.conf.enp3s0/200.forwarding', value: '0', ignoreFailure: false },
        { key: 'net.ipv4.ip_local_port_range', value: '32768 60999', ignoreFailure: false },
        { key: 'net.ipv4.conf.*.rp_filter', value: '2', ignoreFailure: false },
        { key: 'net.ipv4.conf.lo.rp_filter', value: null, ignoreFailure: false },
        { key: 'kernel.core_pattern', value: '', ignoreFailure: false },
      ],
      problems: [],
    });
  });

  it('reports lines that are not assignments or have bad keys', () => {
    const { entries, problems } = parseSysctlConf(
      'vm.swappiness\n = 5\nbad key = 1\nvm.dirty_ratio=10\ngarbage line\n-\n',
    );
    expect(entries).toEqual([{ key: 'vm.dirty_ratio', value: '10', ignoreFailure: false }]);
    expect(problems.map((p) => [p.line, p.reason])).toEqual([
      [1, 'not an assignment (key = value), ignored as systemd-sysctl does'],
      [2, 'invalid sysctl key ""'],
      [3, 'invalid sysctl key "bad key"'],
      [5, 'not an assignment (key = value), ignored as systemd-sysctl does'],
      [6, 'invalid sysctl key ""'],
    ]);
  });

  it('returns nothing for empty input', () => {
    expect(parseSysctlConf('')).toEqual({ entries: [], problems: [] });
  });
});

describe('mergeSysctlFiles', () => {
  it('lets the last file win and sorts keys', () => {
    const merged = mergeSysctlFiles([
      {
        path: '/usr/lib/sysctl.d/50-pid-max.conf',
        entries: [{ key: 'kernel.pid_max', value: '4194304', ignoreFailure: true }],
      },
      {
        path: '/etc/sysctl.d/99-local.conf',
        entries: [
          { key: 'vm.swappiness', value: '10', ignoreFailure: false },
          { key: 'kernel.pid_max', value: '65536', ignoreFailure: false },
        ],
      },
    ]);
    expect([...merged.entries()]).toEqual([
      [
        'kernel.pid_max',
        { key: 'kernel.pid_max', value: '65536', ignoreFailure: false, path: '/etc/sysctl.d/99-local.conf' },
      ],
      [
        'vm.swappiness',
        { key: 'vm.swappiness', value: '10', ignoreFailure: false, path: '/etc/sysctl.d/99-local.conf' },
      ],
    ]);
  });
});
