import { describe, expect, it } from 'vitest';
import { ansibleCounts, baselineCounts, COUNT_LABELS, opDbusCounts } from './comparable-counts.mjs';

const STATE = {
  sections: {
    systemd: {
      config: {
        unitFiles: { 'dbus.service': 'static', 'getty@.service': 'enabled', 'ssh.socket': 'disabled' },
      },
      facts: {
        units: {
          '-.mount': { load: 'loaded' },
          'dbus.service': { load: 'loaded' },
          'getty@tty1.service': { load: 'loaded' },
        },
      },
    },
    packages: { config: { packages: { bash: {}, dbus: {}, systemd: {} } } },
    'dbus-services': {
      facts: {
        services: {
          'org.freedesktop.DBus': { running: true, objects: { '/org/freedesktop/DBus': {} } },
          'org.freedesktop.hostname1': {
            running: true,
            objects: { '/org/freedesktop/hostname1': {} },
            objectsVisited: 5,
          },
          'org.freedesktop.timesync1': { running: false },
        },
      },
    },
    network: { facts: { links: [{ name: 'lo' }, { name: 'host0' }] } },
  },
};

describe('opDbusCounts', () => {
  it('counts every comparable item of a full capture, introspected objects by objectsVisited when given', () => {
    expect(opDbusCounts(STATE)).toEqual({
      units: 3,
      unitFiles: 3,
      services: 3,
      packages: 3,
      busNames: 3,
      runningBusNames: 2,
      busObjects: 6,
      links: 2,
    });
  });

  it('leaves counts of missing sections null', () => {
    const counts = opDbusCounts({ sections: { packages: STATE.sections.packages } });
    expect(counts.packages).toBe(3);
    expect(counts.units).toBeNull();
    expect(counts.busNames).toBeNull();
    expect(opDbusCounts({})).toEqual(Object.fromEntries(Object.keys(COUNT_LABELS).map((key) => [key, null])));
  });
});

describe('baselineCounts', () => {
  const sections = {
    units: [
      '-.mount                          loaded    active   mounted   Root Mount',
      'dbus.service                     loaded    active   running   D-Bus System Message Bus',
      'getty@tty1.service               loaded    active   running   Getty on tty1',
      '',
    ],
    'unit-files': [
      'dbus.service                           static          -',
      'getty@.service  enabled enabled',
      'ssh.socket disabled enabled',
    ],
    packages: [
      'bash\t5.2.15-2+b7\tamd64',
      'dbus\t1.14.10-1~deb12u1\tamd64',
      'systemd\t252.38-1~deb12u1\tamd64',
    ],
    'bus-names': [
      ':1.0                        25 systemd-network systemd-network :1.0   systemd-networkd.service  - -',
      'org.freedesktop.DBus         1 systemd         root            -      init.scope                - -',
      'org.freedesktop.hostname1  230 systemd-hostnam root            :1.59  systemd-hostnamed.service - -',
      'org.freedesktop.timesync1    - -               -               (activatable) -                         - -',
    ],
    'bus-objects': [
      '--- org.freedesktop.DBus',
      '-- /org/freedesktop/DBus',
      '<node/>',
      '--- org.freedesktop.hostname1',
      '-- /',
      '-- /org/freedesktop/hostname1',
      '<node><interface name="org.freedesktop.hostname1"/></node>',
    ],
    links: ['[{"ifindex":1,"ifname":"lo"},', '{"ifindex":2,"ifname":"host0"}]'],
  };

  it('counts the same items from the tools’ output', () => {
    expect(baselineCounts({ sections })).toEqual({
      units: 3,
      unitFiles: 3,
      services: 3,
      packages: 3,
      busNames: 3,
      runningBusNames: 2,
      busObjects: 3,
      links: 2,
    });
  });

  it('copes with empty or malformed sections', () => {
    const counts = baselineCounts({ sections: { links: ['Cannot open netlink socket'] } });
    expect(counts).toMatchObject({
      units: 0,
      unitFiles: 0,
      packages: 0,
      busNames: 0,
      busObjects: 0,
      links: null,
    });
  });
});

describe('ansibleCounts', () => {
  it('takes services, packages and interfaces from the tasks that succeeded', () => {
    const tasks = [
      { module: 'gather_facts', status: 'ok', counts: { facts: 104, interfaces: 2 } },
      { module: 'ansible.builtin.service_facts', status: 'ok', counts: { facts: 1, services: 129 } },
      { module: 'ansible.builtin.package_facts', status: 'failed', counts: { facts: 0 } },
    ];
    expect(ansibleCounts(tasks)).toMatchObject({
      services: 129,
      packages: null,
      links: 2,
      units: null,
      busNames: null,
    });
  });
});
