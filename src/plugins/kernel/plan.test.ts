import { describe, expect, it } from 'vitest';
import { REDACTED } from '../../state/redact.js';
import { mergeAdminFiles } from './merge-admin-files.js';
import { planKernelChanges } from './plan.js';
import type { KernelConfig, KernelFacts } from './schema.js';

const emptySources = { files: [], shadowed: [] };
const emptyModprobe = { options: {}, blacklist: [], install: {}, remove: {}, aliases: [], softdeps: {} };

function configWith(files: KernelConfig['files'], commandLine: string[] | null = ['quiet']): KernelConfig {
  return { files, commandLine, ...mergeAdminFiles(files) };
}

function factsWith(commandLine: Partial<KernelFacts['commandLine']> = {}): KernelFacts {
  return {
    commandLine: {
      configuredIn: null,
      pendingReboot: false,
      live: ['quiet'],
      bootParameters: [],
      initArguments: [],
      grub: null,
      ...commandLine,
    },
    loadedModules: null,
    modulesLoad: { ...emptySources, vendorModules: [] },
    modprobe: { ...emptySources, vendor: emptyModprobe },
    sysctl: { ...emptySources, vendorDefaults: {}, overriddenByVendor: [], live: {} },
    problems: [],
    unavailable: {},
  };
}

const CURRENT_FILES: KernelConfig['files'] = {
  '/etc/sysctl.conf': { content: 'net.ipv4.ip_forward = 0\n' },
  '/etc/sysctl.d/99-sysctl.conf': { linkTo: '/etc/sysctl.conf' },
  '/etc/modules': { content: 'loop\n' },
  '/etc/modprobe.d/old.conf': { content: 'blacklist pcspkr\n' },
};
const current = { config: configWith(CURRENT_FILES), facts: factsWith() };
const plan = (desired: KernelConfig, section = current) => planKernelChanges(section, desired);

describe('planKernelChanges: files', () => {
  it('plans nothing for the config the machine has', () => {
    expect(plan(current.config)).toEqual({ changes: [], unresolved: [] });
  });

  it('creates, replaces, masks and removes files, then restarts the services that apply them', () => {
    const desired = configWith({
      '/etc/sysctl.conf': { content: 'net.ipv4.ip_forward = 1\n' },
      '/etc/sysctl.d/99-sysctl.conf': { linkTo: '/etc/sysctl.conf' },
      '/etc/sysctl.d/50-default.conf': { masked: true },
      '/etc/modules-load.d/br.conf': { content: 'br_netfilter\n' },
      '/etc/modules': { content: 'loop\n' },
      '/etc/modprobe.d/new.conf': { content: 'install foo /bin/true\n' },
    });
    const { changes, unresolved } = plan(desired);
    expect(unresolved).toEqual([]);
    expect(changes.map(({ id, action, phase }) => [id, action, phase])).toEqual([
      ['kernel:modprobe-file:/etc/modprobe.d/new.conf', 'create', 'files'],
      ['kernel:modprobe-file:/etc/modprobe.d/old.conf', 'delete', 'files'],
      ['kernel:modules-load-file:/etc/modules-load.d/br.conf', 'create', 'files'],
      ['kernel:sysctl-file:/etc/sysctl.conf', 'update', 'files'],
      ['kernel:sysctl-file:/etc/sysctl.d/50-default.conf', 'create', 'files'],
      ['kernel:restart:systemd-modules-load.service', 'update', 'reload'],
      ['kernel:restart:systemd-sysctl.service', 'update', 'reload'],
    ]);
    const byId = new Map(changes.map((change) => [change.id, change]));
    expect(byId.get('kernel:sysctl-file:/etc/sysctl.d/50-default.conf')?.after).toEqual({
      symlink: '/dev/null',
    });
    expect(byId.get('kernel:modprobe-file:/etc/modprobe.d/new.conf')).toMatchObject({
      risk: 'medium',
      riskNote: expect.stringMatching(/run commands as root/),
    });
    expect(byId.get('kernel:restart:systemd-sysctl.service')).toMatchObject({
      target: 'systemd-sysctl.service',
      undoLast: true,
      risk: 'medium',
      dependsOn: ['kernel:sysctl-file:/etc/sysctl.conf', 'kernel:sysctl-file:/etc/sysctl.d/50-default.conf'],
    });
    expect(byId.get('kernel:restart:systemd-modules-load.service')?.dependsOn).toEqual([
      'kernel:modules-load-file:/etc/modules-load.d/br.conf',
    ]);
  });

  it('writes no redacted content: equal is fine, a difference blocks', () => {
    const secret = { '/etc/modprobe.d/cifs.conf': { content: `options cifs password=${REDACTED}\n` } };
    const machine = { config: configWith({ ...CURRENT_FILES, ...secret }), facts: factsWith() };
    expect(plan(configWith({ ...CURRENT_FILES, ...secret }), machine)).toEqual({
      changes: [],
      unresolved: [],
    });

    const changed = { '/etc/modprobe.d/cifs.conf': { content: `options cifs password=${REDACTED} x=1\n` } };
    const { changes, unresolved } = plan(configWith({ ...CURRENT_FILES, ...changed }), machine);
    expect(changes).toEqual([]);
    expect(unresolved).toMatchObject([
      { path: '$.sections.kernel.config.files["/etc/modprobe.d/cifs.conf"]', blocking: true },
    ]);
  });

  it('refuses merged values that do not follow from the files, naming each', () => {
    const desired: KernelConfig = {
      ...current.config,
      modulesLoad: ['loop', 'evil'],
      modprobe: { ...current.config.modprobe, blacklist: [] },
      sysctl: { ...current.config.sysctl, 'kernel.sysrq': { value: '1', ignoreFailure: false } },
    };
    const { changes, unresolved } = plan(desired);
    expect(changes).toEqual([]);
    expect(
      unresolved.map(({ path, blocking, expected, actual }) => ({ path, blocking, expected, actual })),
    ).toEqual([
      {
        path: '$.sections.kernel.config.modprobe.blacklist',
        blocking: true,
        expected: ['pcspkr'],
        actual: [],
      },
      {
        path: '$.sections.kernel.config.modulesLoad',
        blocking: true,
        expected: ['loop'],
        actual: ['loop', 'evil'],
      },
      {
        path: '$.sections.kernel.config.sysctl["kernel.sysrq"]',
        blocking: true,
        expected: undefined,
        actual: { value: '1', ignoreFailure: false },
      },
    ]);
  });

  it('compares merged values as a capture holds them, so a document with real secrets is consistent', () => {
    const files = {
      '/etc/sysctl.d/10-ipv6.conf': { content: 'net.ipv6.conf.all.stable_secret = 2001:db8::1\n' },
    };
    expect(plan(configWith(files)).unresolved).toEqual([]);
  });
});

describe('planKernelChanges: command line', () => {
  const wanted = ['console=ttyS0', 'quiet', 'foo="a b"'];

  it('creates /etc/default/grub when no boot loader file exists', () => {
    const { changes, unresolved } = plan({ ...current.config, commandLine: wanted });
    expect(unresolved).toEqual([]);
    expect(changes).toEqual([
      expect.objectContaining({
        id: 'kernel:command-line:/etc/default/grub',
        action: 'create',
        phase: 'files',
        pendingReboot: true,
        risk: 'medium',
        description: expect.stringMatching(
          /GRUB_CMDLINE_LINUX_DEFAULT="console=ttyS0 quiet foo="a b"".*update-grub/,
        ),
        after: { commandLine: wanted, grub: { GRUB_CMDLINE_LINUX_DEFAULT: wanted } },
      }),
    ]);
  });

  it('leaves GRUB_CMDLINE_LINUX alone when the desired parameters start with it, else drops its portable ones', () => {
    const grub = { linux: ['console=ttyS0'], linuxDefault: ['quiet'], assignedInDropIns: [] };
    const machine = {
      config: { ...current.config, commandLine: ['console=ttyS0', 'quiet'] },
      facts: factsWith({ configuredIn: '/etc/default/grub', grub }),
    };
    expect(plan({ ...current.config, commandLine: wanted }, machine).changes[0]).toMatchObject({
      action: 'update',
      before: { GRUB_CMDLINE_LINUX_DEFAULT: ['quiet'] },
      after: { commandLine: wanted, grub: { GRUB_CMDLINE_LINUX_DEFAULT: ['quiet', 'foo="a b"'] } },
    });
    const reordered = ['quiet', 'console=ttyS0'];
    expect(plan({ ...current.config, commandLine: reordered }, machine).changes[0]).toMatchObject({
      before: { GRUB_CMDLINE_LINUX_DEFAULT: ['quiet'], GRUB_CMDLINE_LINUX: ['console=ttyS0'] },
      after: { grub: { GRUB_CMDLINE_LINUX_DEFAULT: reordered, GRUB_CMDLINE_LINUX: [] } },
      description: expect.stringMatching(/drop "console=ttyS0" from GRUB_CMDLINE_LINUX/),
    });
  });

  it('rewrites /etc/kernel/cmdline where it exists, and grub beside it', () => {
    const machine = {
      config: current.config,
      facts: factsWith({
        configuredIn: '/etc/kernel/cmdline',
        grub: { linux: [], linuxDefault: [], assignedInDropIns: [] },
      }),
    };
    expect(
      plan({ ...current.config, commandLine: wanted }, machine).changes.map((change) => change.id),
    ).toEqual(['kernel:command-line:/etc/default/grub', 'kernel:command-line:/etc/kernel/cmdline']);
    const kernelOnly = { config: current.config, facts: factsWith({ configuredIn: '/etc/kernel/cmdline' }) };
    expect(plan({ ...current.config, commandLine: wanted }, kernelOnly).changes).toEqual([
      expect.objectContaining({
        target: '/etc/kernel/cmdline',
        pendingReboot: true,
        before: { commandLine: ['quiet'] },
        after: { commandLine: wanted },
      }),
    ]);
  });

  it('blocks when a grub.d drop-in sets the parameters, or the desired ones were redacted', () => {
    const machine = {
      config: current.config,
      facts: factsWith({
        configuredIn: '/etc/default/grub',
        grub: { linux: [], linuxDefault: ['quiet'], assignedInDropIns: ['/etc/default/grub.d/50-cloud.cfg'] },
      }),
    };
    expect(plan({ ...current.config, commandLine: wanted }, machine)).toMatchObject({
      changes: [],
      unresolved: [{ path: '$.sections.kernel.config.commandLine', blocking: true }],
    });
    expect(plan({ ...current.config, commandLine: ['quiet', `api_token=${REDACTED}`] })).toMatchObject({
      changes: [],
      unresolved: [{ path: '$.sections.kernel.config.commandLine', blocking: true }],
    });
  });

  it('reports, without blocking, a desired state that does not know the parameters', () => {
    expect(plan({ ...current.config, commandLine: null })).toEqual({
      changes: [],
      unresolved: [
        expect.objectContaining({ path: '$.sections.kernel.config.commandLine', blocking: false }),
      ],
    });
  });
});
