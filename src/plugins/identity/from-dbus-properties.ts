// Maps the properties hostname1, timedate1 and locale1 report (GetAll) onto the identity section, keeping
// what the services detect or inherit out of config: config is what the machine's files configure.
import { emptyToNull, localeVariablesFromList } from './parse-identity-files.js';
import type {
  HostnameConfig,
  HostnameFacts,
  LocaleConfig,
  LocaleFacts,
  TimeConfig,
  TimeFacts,
} from './schema.js';

export type Properties = Record<string, unknown>;

export interface HostnamePart {
  config: HostnameConfig;
  facts: HostnameFacts;
}

export interface LocalePart {
  config: LocaleConfig;
  facts: LocaleFacts;
}

export interface TimePart {
  config: TimeConfig;
  facts: TimeFacts;
}

function text(properties: Properties, name: string): string | null {
  const value = properties[name];
  return typeof value === 'string' ? emptyToNull(value) : null;
}

function flag(properties: Properties, name: string): boolean | null {
  const value = properties[name];
  return typeof value === 'boolean' ? value : null;
}

/**
 * hostname1's answer, with chassis and icon name taken from /etc/machine-info (`machineInfo`): when CHASSIS or
 * ICON_NAME is unset there, hostname1 reports what it detects (a container says "container", a VM "vm"), which
 * would turn an observation into a setting an apply forces onto another machine.
 */
export function hostnameFromProperties(
  properties: Properties,
  machineInfo: Readonly<Record<string, string>>,
): HostnamePart {
  return {
    config: {
      staticHostname: text(properties, 'StaticHostname'),
      prettyHostname: text(properties, 'PrettyHostname'),
      chassis: emptyToNull(machineInfo.CHASSIS),
      deployment: text(properties, 'Deployment'),
      location: text(properties, 'Location'),
      iconName: emptyToNull(machineInfo.ICON_NAME),
    },
    facts: {
      transientHostname: text(properties, 'Hostname'),
      operatingSystem: text(properties, 'OperatingSystemPrettyName'),
      kernelName: text(properties, 'KernelName'),
      kernelRelease: text(properties, 'KernelRelease'),
      kernelVersion: text(properties, 'KernelVersion'),
      hardwareVendor: text(properties, 'HardwareVendor'),
      hardwareModel: text(properties, 'HardwareModel'),
      detectedChassis: text(properties, 'Chassis'),
      detectedIconName: text(properties, 'IconName'),
    },
  };
}

// Timezone stays as timedate1 reports it: without /etc/localtime it says UTC, which is not a detected value but
// what glibc, and so every program, uses then (the file reader says the same).
export function timeFromProperties(properties: Properties): TimePart {
  return {
    config: {
      timezone: text(properties, 'Timezone'),
      ntp: flag(properties, 'NTP'),
      localRtc: flag(properties, 'LocalRTC'),
    },
    facts: { ntpSynchronized: flag(properties, 'NTPSynchronized'), canNtp: flag(properties, 'CanNTP') },
  };
}

/**
 * locale1's answer; `localeFileExists` says whether /etc/locale.conf or Debian's /etc/default/locale exists.
 *
 * locale1 is the authority for the locale a file sets: localed reads that file itself, the way every later
 * `SetLocale` will. But when no locale file exists localed reports its own environment instead, inherited from
 * the service manager: systemd's built-in default (LANG=C.UTF-8) or locale.* on the kernel command line (which
 * the kernel section already captures). That is nothing this machine configures, and not even what every
 * program gets (a login shell takes its locale from PAM, which reads the same missing files), so config keeps
 * the variables only when a locale file exists, as the file reader does, and facts keep what locale1 reported.
 * The keyboard settings have no such default: localed reports them empty when unset.
 */
export function localeFromProperties(properties: Properties, localeFileExists: boolean): LocalePart {
  const list = properties.Locale;
  const reported = localeVariablesFromList(
    Array.isArray(list) ? list.filter((item) => typeof item === 'string') : [],
  );
  return {
    config: {
      variables: localeFileExists ? reported : {},
      vconsoleKeymap: text(properties, 'VConsoleKeymap'),
      vconsoleKeymapToggle: text(properties, 'VConsoleKeymapToggle'),
      x11Layout: text(properties, 'X11Layout'),
      x11Model: text(properties, 'X11Model'),
      x11Variant: text(properties, 'X11Variant'),
      x11Options: text(properties, 'X11Options'),
    },
    facts: { reportedVariables: reported },
  };
}
