import { describe, expect, it } from 'vitest';
import type { SystemdConfig } from './schema.js';
import { systemdToNix } from './to-nix.js';

function config(overrides: Partial<SystemdConfig> = {}): SystemdConfig {
  return { defaultTarget: null, unitFiles: {}, activeState: {}, files: {}, ...overrides };
}

const UNIT = `[Unit]
Description=Backup "nightly"
After=network.target
After=
After=network-online.target
Wants=network-online.target
ConditionPathExists=/srv

[Service]
ExecStartPre=/bin/true
ExecStart=/usr/bin/backup --to \${TARGET}
Environment=A=1
Environment=B=2

[Install]
WantedBy=multi-user.target
Alias=nightly.service
`;

describe('systemdToNix', () => {
  it('maps enablement of units in the table, and lists the others', () => {
    const { options, unmapped } = systemdToNix(
      config({
        defaultTarget: 'multi-user.target',
        unitFiles: {
          'ssh.service': 'enabled',
          'cups.service': 'enabled',
          'cups.socket': 'disabled',
          'docker.service': 'masked',
          'getty@.service': 'enabled',
          'systemd-networkd.service': 'enabled',
          'dbus.service': 'static',
        },
        activeState: { 'ssh.service': 'active' },
      }),
    );
    expect(options).toEqual([
      { path: ['services', 'openssh', 'enable'], value: true, comment: 'ssh.service enabled' },
      {
        path: ['services', 'printing', 'enable'],
        value: true,
        comment: 'cups.service enabled, cups.socket disabled',
      },
      { path: ['virtualisation', 'docker', 'enable'], value: false, comment: 'docker.service masked' },
      { path: ['systemd', 'defaultUnit'], value: 'multi-user.target' },
    ]);
    expect(unmapped).toEqual([
      {
        item: '$.sections.systemd.config.unitFiles["getty@.service"]',
        reason: 'enabled: the mapping table has no NixOS option for this unit',
      },
      {
        item: '$.sections.systemd.config.unitFiles["systemd-networkd.service"]',
        reason:
          'enabled: systemd.network.enable is set by the network section, to true when networkd files were captured',
      },
      {
        item: '$.sections.systemd.config.activeState',
        reason: 'whether a unit runs now is not configuration in NixOS: units start as their wantedBy says',
      },
    ]);
  });

  it('translates an admin service unit merged with its drop-ins', () => {
    const { options, unmapped } = systemdToNix(
      config({
        unitFiles: { 'backup.service': 'enabled' },
        files: {
          '/etc/systemd/system/backup.service': { content: UNIT },
          '/etc/systemd/system/backup.service.d/10-nice.conf': {
            content: '[Service]\nNice=10\n[X-Custom]\nA=b\n',
          },
        },
      }),
    );
    expect(options).toEqual([
      {
        path: ['systemd', 'services', 'backup'],
        comment: 'from /etc/systemd/system/backup.service, /etc/systemd/system/backup.service.d/10-nice.conf',
        value: {
          description: 'Backup "nightly"',
          after: ['network-online.target'],
          wants: ['network-online.target'],
          unitConfig: { ConditionPathExists: '/srv' },
          serviceConfig: {
            ExecStartPre: '/bin/true',
            ExecStart: `/usr/bin/backup --to \${TARGET}`,
            Environment: ['A=1', 'B=2'],
            Nice: '10',
          },
          wantedBy: ['multi-user.target'],
        },
      },
    ]);
    expect(unmapped.map((entry) => entry.item)).toEqual([
      '$.sections.systemd.config.files["/etc/systemd/system/backup.service"] [Install] Alias',
      '$.sections.systemd.config.files["/etc/systemd/system/backup.service"] [X-Custom]',
    ]);
  });

  it('leaves out install targets of a disabled unit, since NixOS would enable it', () => {
    const { options, unmapped } = systemdToNix(
      config({
        unitFiles: { 'backup.service': 'disabled' },
        files: {
          '/etc/systemd/system/backup.service': {
            content: '[Service]\nExecStart=/bin/x\n[Install]\nWantedBy=a.target\n',
          },
        },
      }),
    );
    expect(options[0]?.value).toEqual({ serviceConfig: { ExecStart: '/bin/x' } });
    expect(unmapped.map((entry) => entry.item)).toEqual([
      '$.sections.systemd.config.files["/etc/systemd/system/backup.service"] [Install] WantedBy',
    ]);
  });

  it('lists units it cannot translate, with every file of them', () => {
    const { options, unmapped } = systemdToNix(
      config({
        files: {
          '/etc/systemd/system/backup.timer': { content: '[Timer]\nOnCalendar=daily\n' },
          '/etc/systemd/system/ssh.service.d/override.conf': { content: '[Service]\nNice=1\n' },
          '/etc/systemd/system/linked.service': { linkTo: '/opt/x/linked.service' },
          '/etc/systemd/system/secret.service': { content: '[Service]\nEnvironment=TOKEN=[REDACTED]\n' },
          '/etc/systemd/system/broken.service': { content: '[Service\nExecStart=/bin/x\n' },
        },
      }),
    );
    expect(options).toEqual([]);
    expect(
      unmapped.map((entry) => [entry.item.replace(/^.*system\//, ''), entry.reason.split(/[:(]/)[0]]),
    ).toEqual([
      ['backup.timer"]', 'only service units are translated '],
      ['broken.service"]', 'systemd would reject it'],
      ['linked.service"]', 'a symlink to a unit file outside the unit directories cannot be translated'],
      ['secret.service"]', 'the capture withheld a secret in it'],
      ['ssh.service.d/override.conf"]', 'a drop-in for a unit NixOS would provide itself'],
    ]);
  });
});
