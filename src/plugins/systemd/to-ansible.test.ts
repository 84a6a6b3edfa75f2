import { describe, expect, it } from 'vitest';
import type { SystemdConfig } from './schema.js';
import { systemdToAnsible } from './to-ansible.js';

const config = (overrides: Partial<SystemdConfig>): SystemdConfig => ({
  defaultTarget: null,
  unitFiles: {},
  activeState: {},
  files: {},
  ...overrides,
});

describe('systemdToAnsible', () => {
  it('copies unit files and drop-ins and links, notifying daemon-reload', () => {
    const { tasks, handlers } = systemdToAnsible(
      config({
        files: {
          '/etc/systemd/system/a.service': { content: '[Service]\nExecStart=/bin/true\n' },
          '/etc/systemd/system/a.service.d/o.conf': { content: '[Service]\nNice=5\n' },
          '/etc/systemd/system/b.service': { linkTo: '/opt/b/b.service' },
        },
      }),
    );
    expect(tasks.map((step) => [step.phase, step.task.name])).toEqual([
      ['files', 'Directory /etc/systemd/system'],
      ['files', 'Directory /etc/systemd/system/a.service.d'],
      ['files', 'Write /etc/systemd/system/a.service'],
      ['files', 'Write /etc/systemd/system/a.service.d/o.conf'],
      ['files', 'Link /etc/systemd/system/b.service to /opt/b/b.service'],
    ]);
    expect(tasks[2]?.task.notify).toEqual(['Reload systemd unit files']);
    expect(handlers).toEqual([
      { name: 'Reload systemd unit files', 'ansible.builtin.systemd_service': { daemon_reload: true } },
    ]);
  });

  it('gives one systemd_service task per unit with enablement and run state', () => {
    const { tasks, handlers } = systemdToAnsible(
      config({
        unitFiles: {
          'a.service': 'enabled',
          'b.service': 'disabled',
          'c.service': 'masked',
          'd.service': 'static',
        },
        activeState: { 'a.service': 'active', 'b.service': 'inactive' },
      }),
    );
    expect(tasks).toEqual([
      {
        phase: 'enablement',
        task: {
          name: 'a.service: enabled, running',
          'ansible.builtin.systemd_service': {
            name: 'a.service',
            enabled: true,
            masked: false,
            state: 'started',
          },
        },
      },
      {
        phase: 'enablement',
        task: {
          name: 'b.service: disabled, stopped',
          'ansible.builtin.systemd_service': {
            name: 'b.service',
            enabled: false,
            masked: false,
            state: 'stopped',
          },
        },
      },
      {
        phase: 'enablement',
        task: {
          name: 'c.service: masked',
          'ansible.builtin.systemd_service': { name: 'c.service', masked: true },
        },
      },
    ]);
    expect(handlers).toEqual([]);
  });

  it('lists runtime states, template enablement and the default target, which systemd_service cannot set', () => {
    const { tasks, unsupported } = systemdToAnsible(
      config({
        defaultTarget: 'graphical.target',
        unitFiles: { 'r.service': 'enabled-runtime', 'getty@.service': 'enabled' },
        activeState: { 'r.service': 'active' },
      }),
    );
    expect(tasks.map((step) => step.task.name)).toEqual(['r.service: running']);
    expect(unsupported.map((entry) => entry.item)).toEqual([
      '$.sections.systemd.config.defaultTarget',
      '$.sections.systemd.config.unitFiles["getty@.service"]',
      '$.sections.systemd.config.unitFiles["r.service"]',
    ]);
  });
});
