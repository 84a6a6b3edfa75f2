import { describe, expect, it } from 'vitest';
import type { KernelConfig } from './schema.js';
import { kernelToAnsible } from './to-ansible.js';

const config = (files: KernelConfig['files'], commandLine: string[] | null = null): KernelConfig => ({
  files,
  commandLine,
  modulesLoad: [],
  modprobe: { options: {}, blacklist: [], install: {}, remove: {}, aliases: [], softdeps: {} },
  sysctl: {},
});

describe('kernelToAnsible', () => {
  it('copies, links and masks admin files, notifying the service that applies each family', () => {
    const { tasks, handlers } = kernelToAnsible(
      config({
        '/etc/sysctl.conf': { content: 'vm.swappiness = 10\n' },
        '/etc/sysctl.d/99-sysctl.conf': { linkTo: '/etc/sysctl.conf' },
        '/etc/sysctl.d/50-vendor.conf': { masked: true },
        '/etc/modules-load.d/x.conf': { content: 'dummy\n' },
        '/etc/modprobe.d/y.conf': { content: 'blacklist pcspkr\n' },
      }),
    );
    expect(tasks.map((step) => [step.task.name, step.task.notify])).toEqual([
      ['Directory /etc/modprobe.d', undefined],
      ['Directory /etc/modules-load.d', undefined],
      ['Directory /etc/sysctl.d', undefined],
      ['Write /etc/modprobe.d/y.conf', undefined],
      ['Write /etc/modules-load.d/x.conf', ['Load kernel modules']],
      ['Write /etc/sysctl.conf', ['Apply sysctl settings']],
      ['Mask /etc/sysctl.d/50-vendor.conf', ['Apply sysctl settings']],
      ['Link /etc/sysctl.d/99-sysctl.conf to /etc/sysctl.conf', ['Apply sysctl settings']],
    ]);
    expect(tasks[5]?.task['ansible.builtin.copy']).toEqual({
      dest: '/etc/sysctl.conf',
      content: 'vm.swappiness = 10\n',
      owner: 'root',
      group: 'root',
      mode: '0644',
    });
    expect(handlers.map((handler) => handler.name)).toEqual(['Apply sysctl settings', 'Load kernel modules']);
  });

  it('sets the command line in /etc/default/grub, shell-quoted, saying it waits for update-grub and a reboot', () => {
    const { tasks } = kernelToAnsible(config({}, ['quiet', 'opt="a b"', 'x=$y']));
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.task.name).toMatch(/pending reboot: run update-grub/);
    expect(tasks[0]?.task['ansible.builtin.lineinfile']).toMatchObject({
      path: '/etc/default/grub',
      regexp: '^GRUB_CMDLINE_LINUX_DEFAULT=',
      line: 'GRUB_CMDLINE_LINUX_DEFAULT="quiet opt=\\"a b\\" x=\\$y"',
      create: true,
    });
  });
});
