import { describe, expect, it } from 'vitest';
import { REDACTED } from '../../state/redact.js';
import type { ModprobeConfig } from './parse-modprobe.js';
import { isSecretSysctl, redactKernelSection } from './redact-kernel.js';
import type { KernelConfig, KernelFacts } from './schema.js';

const emptyModprobe: ModprobeConfig = {
  options: {},
  blacklist: [],
  install: {},
  remove: {},
  aliases: [],
  softdeps: {},
};
const noSources = { files: [], shadowed: [] };

function section(overrides: { config?: Partial<KernelConfig>; facts?: Partial<KernelFacts> }) {
  const config: KernelConfig = {
    files: {},
    commandLine: [],
    modulesLoad: [],
    modprobe: emptyModprobe,
    sysctl: {},
    ...overrides.config,
  };
  const facts: KernelFacts = {
    commandLine: {
      configuredIn: null,
      pendingReboot: null,
      live: null,
      bootParameters: null,
      initArguments: null,
      grub: null,
    },
    loadedModules: null,
    modulesLoad: { ...noSources, vendorModules: [] },
    modprobe: { ...noSources, vendor: emptyModprobe },
    sysctl: { ...noSources, vendorDefaults: {}, overriddenByVendor: [], live: {} },
    problems: [],
    unavailable: {},
    ...overrides.facts,
  };
  return { config, facts };
}

describe('isSecretSysctl', () => {
  it('knows the stable-privacy secret and the TCP Fast Open key, not flags whose names look secret', () => {
    expect(isSecretSysctl('net.ipv6.conf.eth0.stable_secret')).toBe(true);
    expect(isSecretSysctl('net.ipv6.conf.*.stable_secret')).toBe(true);
    expect(isSecretSysctl('net.ipv4.tcp_fastopen_key')).toBe(true);
    expect(isSecretSysctl('net.sctp.auth_enable')).toBe(false);
    expect(isSecretSysctl('net.bridge.bridge-nf-pass-vlan-input-dev')).toBe(false);
    expect(isSecretSysctl('net.ipv4.tcp_fastopen')).toBe(false);
  });
});

describe('redactKernelSection', () => {
  it('redacts unparsable lines and reasons that quote them, and records where', () => {
    const { config, facts } = section({
      facts: {
        problems: [
          {
            path: '/etc/modprobe.d/x.conf',
            line: 3,
            text: 'frobnicate api_key=s3cr3t',
            reason: 'unknown directive frobnicate',
          },
          {
            path: '/etc/modules',
            line: 1,
            text: 'cifs password=hunter2',
            reason: 'module arguments password=hunter2 are not applied; use options in modprobe.d',
          },
          { path: '/etc/sysctl.d', line: null, text: null, reason: 'cannot list /etc/sysctl.d: EACCES' },
        ],
      },
    });
    const redacted = redactKernelSection(config, facts);
    expect(redacted.facts.problems).toEqual([
      {
        path: '/etc/modprobe.d/x.conf',
        line: 3,
        text: `frobnicate api_key=${REDACTED}`,
        reason: 'unknown directive frobnicate',
      },
      {
        path: '/etc/modules',
        line: 1,
        text: `cifs password=${REDACTED}`,
        reason: `module arguments password=${REDACTED} are not applied; use options in modprobe.d`,
      },
      { path: '/etc/sysctl.d', line: null, text: null, reason: 'cannot list /etc/sysctl.d: EACCES' },
    ]);
    expect(redacted.redactions).toEqual([
      { path: ['facts', 'problems', 0, 'text'], reason: 'secret-named setting api_key' },
      { path: ['facts', 'problems', 1, 'text'], reason: 'secret-named setting password' },
      { path: ['facts', 'problems', 1, 'reason'], reason: 'secret-named setting password' },
    ]);
    expect(JSON.stringify(redacted)).not.toMatch(/s3cr3t|hunter2/);
  });

  it('redacts secret modprobe options and install commands, in config and in vendor facts', () => {
    const modprobe: ModprobeConfig = {
      ...emptyModprobe,
      options: { loop: ['max_loop=8'], cifs: ['password=hunter2'] },
      install: { foo: '/usr/bin/fetch --token abc123 && /sbin/modprobe --ignore-install foo' },
    };
    const { config, facts } = section({
      config: { modprobe },
      facts: {
        modprobe: { ...noSources, vendor: { ...emptyModprobe, remove: { bar: 'curl https://u:pw@h/x' } } },
      },
    });
    const redacted = redactKernelSection(config, facts);
    expect(redacted.config.modprobe.options).toEqual({
      loop: ['max_loop=8'],
      cifs: [`password=${REDACTED}`],
    });
    expect(redacted.config.modprobe.install.foo).toBe(
      `/usr/bin/fetch --token ${REDACTED} && /sbin/modprobe --ignore-install foo`,
    );
    expect(redacted.facts.modprobe.vendor.remove.bar).toBe(`curl https://u:${REDACTED}@h/x`);
    expect(redacted.redactions.map((r) => r.path)).toEqual([
      ['config', 'modprobe', 'options', 'cifs', 0],
      ['config', 'modprobe', 'install', 'foo'],
      ['facts', 'modprobe', 'vendor', 'remove', 'bar'],
    ]);
  });

  it('redacts the values of secret sysctl keys wherever they appear, and nothing else', () => {
    const key = 'net.ipv6.conf.all.stable_secret';
    const secret = '2001:db8:1234:5678:9abc:def0:1234:5678';
    const { config, facts } = section({
      config: {
        sysctl: {
          [key]: { value: secret, ignoreFailure: false },
          'vm.swappiness': { value: '10', ignoreFailure: false },
        },
      },
      facts: {
        sysctl: {
          ...noSources,
          vendorDefaults: {
            'net.ipv4.tcp_fastopen_key': {
              value: 'a-b-c-d',
              ignoreFailure: true,
              path: '/usr/lib/sysctl.d/x.conf',
            },
          },
          overriddenByVendor: [],
          live: { [key]: secret, 'vm.swappiness': '10', 'net.ipv6.conf.lo.stable_secret': null },
        },
      },
    });
    const redacted = redactKernelSection(config, facts);
    expect(redacted.config.sysctl).toEqual({
      [key]: { value: REDACTED, ignoreFailure: false },
      'vm.swappiness': { value: '10', ignoreFailure: false },
    });
    expect(redacted.facts.sysctl.vendorDefaults['net.ipv4.tcp_fastopen_key']?.value).toBe(REDACTED);
    expect(redacted.facts.sysctl.live).toEqual({
      [key]: REDACTED,
      'vm.swappiness': '10',
      'net.ipv6.conf.lo.stable_secret': null,
    });
    expect(redacted.redactions).toEqual([
      { path: ['config', 'sysctl', key, 'value'], reason: `secret sysctl ${key}` },
      {
        path: ['facts', 'sysctl', 'vendorDefaults', 'net.ipv4.tcp_fastopen_key', 'value'],
        reason: 'secret sysctl net.ipv4.tcp_fastopen_key',
      },
      { path: ['facts', 'sysctl', 'live', key], reason: `secret sysctl ${key}` },
    ]);
  });
});
