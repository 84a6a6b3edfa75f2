import { describe, expect, it } from 'vitest';
import type { IdentityConfig } from './schema.js';
import { identityToAnsible } from './to-ansible.js';

const config = (): IdentityConfig => ({
  hostname: {
    staticHostname: 'web1',
    prettyHostname: null,
    chassis: 'vm',
    deployment: null,
    location: null,
    iconName: null,
  },
  time: { timezone: 'Europe/Warsaw', ntp: true, localRtc: false },
  locale: {
    variables: { LANG: 'pl_PL.UTF-8' },
    vconsoleKeymap: 'pl',
    vconsoleKeymapToggle: null,
    x11Layout: null,
    x11Model: null,
    x11Variant: null,
    x11Options: null,
  },
});

describe('identityToAnsible', () => {
  it('sets the hostname, then machine-info line by line (unset ones removed), then the time zone', () => {
    const { tasks, handlers } = identityToAnsible(config());
    expect(tasks.every((step) => step.phase === 'identity')).toBe(true);
    expect(tasks.map((step) => step.task)).toEqual([
      {
        name: 'Set the static hostname to web1',
        'ansible.builtin.hostname': { name: 'web1', use: 'systemd' },
      },
      {
        name: 'PRETTY_HOSTNAME unset in /etc/machine-info',
        'ansible.builtin.lineinfile': {
          path: '/etc/machine-info',
          regexp: '^PRETTY_HOSTNAME=',
          state: 'absent',
        },
      },
      {
        name: 'CHASSIS in /etc/machine-info',
        'ansible.builtin.lineinfile': {
          path: '/etc/machine-info',
          regexp: '^CHASSIS=',
          line: 'CHASSIS="vm"',
          create: true,
          owner: 'root',
          group: 'root',
          mode: '0644',
        },
      },
      expect.objectContaining({ name: 'DEPLOYMENT unset in /etc/machine-info' }),
      expect.objectContaining({ name: 'LOCATION unset in /etc/machine-info' }),
      expect.objectContaining({ name: 'ICON_NAME unset in /etc/machine-info' }),
      {
        name: 'Set the time zone to Europe/Warsaw',
        'community.general.timezone': { name: 'Europe/Warsaw', hwclock: 'UTC' },
      },
    ]);
    expect(handlers).toEqual([]);
  });

  it('quotes free text for the env-file parser', () => {
    const hostile = config();
    hostile.hostname.prettyHostname = 'Bob\'s "box" $HOME `id` \\';
    const line = identityToAnsible(hostile).tasks[1]?.task['ansible.builtin.lineinfile'];
    expect(line).toMatchObject({ line: 'PRETTY_HOSTNAME="Bob\'s \\"box\\" \\$HOME \\`id\\` \\\\"' });
  });

  it('lists NTP, locale and keyboard, which no module sets', () => {
    expect(identityToAnsible(config()).unsupported.map((entry) => entry.item)).toEqual([
      '$.sections.identity.config.time.ntp',
      '$.sections.identity.config.locale.variables.LANG',
      '$.sections.identity.config.locale.vconsoleKeymap',
    ]);
  });
});
