import { describe, expect, it } from 'vitest';
import { hostnameFromProperties, localeFromProperties, timeFromProperties } from './from-dbus-properties.js';

// What GetAll returned from systemd 252 in a Debian 12 container, after plainValue().
const HOSTNAME1 = {
  Hostname: 'opdbus-t1',
  StaticHostname: 'opdbus-t1',
  PrettyHostname: '',
  DefaultHostname: 'localhost',
  HostnameSource: 'static',
  IconName: 'computer-container',
  Chassis: 'container',
  Deployment: '',
  Location: '',
  KernelName: 'Linux',
  KernelRelease: '6.1.0-18-amd64',
  KernelVersion: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)',
  OperatingSystemPrettyName: 'Debian GNU/Linux 12 (bookworm)',
  HardwareVendor: 'QEMU',
  HardwareModel: 'Standard PC (Q35 + ICH9, 2009)',
};

describe('hostnameFromProperties', () => {
  it('maps settings to config and observations to facts, empty strings to null', () => {
    expect(hostnameFromProperties(HOSTNAME1, {})).toEqual({
      config: {
        staticHostname: 'opdbus-t1',
        prettyHostname: null,
        chassis: null,
        deployment: null,
        location: null,
        iconName: null,
      },
      facts: {
        transientHostname: 'opdbus-t1',
        operatingSystem: 'Debian GNU/Linux 12 (bookworm)',
        kernelName: 'Linux',
        kernelRelease: '6.1.0-18-amd64',
        kernelVersion: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)',
        hardwareVendor: 'QEMU',
        hardwareModel: 'Standard PC (Q35 + ICH9, 2009)',
        detectedChassis: 'container',
        detectedIconName: 'computer-container',
      },
    });
  });

  it('takes chassis and icon name from /etc/machine-info, not from what hostname1 detects', () => {
    const part = hostnameFromProperties(HOSTNAME1, {
      CHASSIS: 'server',
      ICON_NAME: 'rack',
      PRETTY_HOSTNAME: 'x',
    });
    expect(part.config.chassis).toBe('server');
    expect(part.config.iconName).toBe('rack');
    expect(part.facts.detectedChassis).toBe('container');
    expect(hostnameFromProperties(HOSTNAME1, { CHASSIS: '' }).config.chassis).toBeNull();
  });

  it('treats missing or mistyped properties (older systemd) as unknown', () => {
    const part = hostnameFromProperties({ StaticHostname: 42, Hostname: 'box' }, {});
    expect(part.config.staticHostname).toBeNull();
    expect(part.facts.transientHostname).toBe('box');
    expect(part.facts.hardwareVendor).toBeNull();
  });
});

describe('timeFromProperties', () => {
  it('maps timedate1 properties', () => {
    const properties = {
      Timezone: 'Etc/UTC',
      LocalRTC: false,
      CanNTP: true,
      NTP: true,
      NTPSynchronized: false,
      TimeUSec: 1,
    };
    expect(timeFromProperties(properties)).toEqual({
      config: { timezone: 'Etc/UTC', ntp: true, localRtc: false },
      facts: { ntpSynchronized: false, canNtp: true },
    });
  });
});

describe('localeFromProperties', () => {
  it('turns the Locale list into a record and keeps keyboard settings', () => {
    const properties = {
      Locale: ['LANG=en_US.UTF-8', 'LC_TIME=en_GB.UTF-8'],
      X11Layout: 'us,pl',
      X11Model: 'pc105',
      X11Variant: '',
      X11Options: 'grp:alt_shift_toggle',
      VConsoleKeymap: 'us',
      VConsoleKeymapToggle: '',
    };
    expect(localeFromProperties(properties, true)).toEqual({
      config: {
        variables: { LANG: 'en_US.UTF-8', LC_TIME: 'en_GB.UTF-8' },
        vconsoleKeymap: 'us',
        vconsoleKeymapToggle: null,
        x11Layout: 'us,pl',
        x11Model: 'pc105',
        x11Variant: null,
        x11Options: 'grp:alt_shift_toggle',
      },
      facts: { reportedVariables: { LANG: 'en_US.UTF-8', LC_TIME: 'en_GB.UTF-8' } },
    });
    expect(localeFromProperties({}, true).config.variables).toEqual({});
  });

  it('keeps the locale localed inherits out of config when no locale file exists', () => {
    const part = localeFromProperties({ Locale: ['LANG=C.UTF-8'], VConsoleKeymap: 'us' }, false);
    expect(part.config.variables).toEqual({});
    expect(part.config.vconsoleKeymap).toBe('us');
    expect(part.facts.reportedVariables).toEqual({ LANG: 'C.UTF-8' });
  });
});
