import { describe, expect, it } from 'vitest';
import { REDACTED } from '../../state/redact.js';
import { networkToAnsible } from './to-ansible.js';

describe('networkToAnsible', () => {
  it('copies files and drop-ins (directory first), masks with /dev/null and reloads networkd', () => {
    const { tasks, handlers, unsupported } = networkToAnsible({
      files: {
        '/etc/systemd/network/10-a.network': {
          kind: 'network',
          masked: false,
          content: '[Match]\nName=eth0\n',
        },
        '/etc/systemd/network/10-a.network.d/mtu.conf': {
          kind: 'network',
          masked: false,
          content: '[Link]\nMTUBytes=9000\n',
        },
        '/etc/systemd/network/99-default.link': { kind: 'link', masked: true, content: '' },
      },
    });
    expect(tasks.map((step) => step.task.name)).toEqual([
      'Directory /etc/systemd/network',
      'Directory /etc/systemd/network/10-a.network.d',
      'Write /etc/systemd/network/10-a.network',
      'Write /etc/systemd/network/10-a.network.d/mtu.conf',
      'Mask /etc/systemd/network/99-default.link',
    ]);
    expect(tasks[4]?.task).toMatchObject({
      'ansible.builtin.file': {
        path: '/etc/systemd/network/99-default.link',
        src: '/dev/null',
        state: 'link',
        force: true,
      },
      notify: ['Reload systemd-networkd'],
    });
    expect(handlers).toEqual([
      {
        name: 'Reload systemd-networkd',
        'ansible.builtin.systemd_service': { name: 'systemd-networkd.service', state: 'reloaded' },
      },
    ]);
    expect(unsupported).toEqual([]);
  });

  it('lists a file with redacted secrets instead of writing the placeholder', () => {
    const { tasks, unsupported } = networkToAnsible({
      files: {
        '/etc/systemd/network/wg.netdev': {
          kind: 'netdev',
          masked: false,
          content: `PrivateKey=${REDACTED}\n`,
        },
      },
    });
    expect(tasks).toEqual([]);
    expect(unsupported).toEqual([
      {
        item: '$.sections.network.config.files["/etc/systemd/network/wg.netdev"].content',
        reason: expect.stringMatching(/secrets/),
      },
    ]);
  });
});
