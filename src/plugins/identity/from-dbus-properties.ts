// Maps the properties hostname1, timedate1 and locale1 report (GetAll) onto the identity section.
import { emptyToNull, localeVariablesFromList } from './parse-identity-files.js';
import type { HostnameConfig, HostnameFacts, LocaleConfig, TimeConfig, TimeFacts } from './schema.js';

export type Properties = Record<string, unknown>;

export interface HostnamePart {
  config: HostnameConfig;
  facts: HostnameFacts;
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

export function hostnameFromProperties(properties: Properties): HostnamePart {
  return {
    config: {
      staticHostname: text(properties, 'StaticHostname'),
      prettyHostname: text(properties, 'PrettyHostname'),
      chassis: text(properties, 'Chassis'),
      deployment: text(properties, 'Deployment'),
      location: text(properties, 'Location'),
      iconName: text(properties, 'IconName'),
    },
    facts: {
      transientHostname: text(properties, 'Hostname'),
      operatingSystem: text(properties, 'OperatingSystemPrettyName'),
      kernelName: text(properties, 'KernelName'),
      kernelRelease: text(properties, 'KernelRelease'),
      kernelVersion: text(properties, 'KernelVersion'),
      hardwareVendor: text(properties, 'HardwareVendor'),
      hardwareModel: text(properties, 'HardwareModel'),
    },
  };
}

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

export function localeFromProperties(properties: Properties): LocaleConfig {
  const list = properties.Locale;
  return {
    variables: localeVariablesFromList(
      Array.isArray(list) ? list.filter((item) => typeof item === 'string') : [],
    ),
    vconsoleKeymap: text(properties, 'VConsoleKeymap'),
    vconsoleKeymapToggle: text(properties, 'VConsoleKeymapToggle'),
    x11Layout: text(properties, 'X11Layout'),
    x11Model: text(properties, 'X11Model'),
    x11Variant: text(properties, 'X11Variant'),
    x11Options: text(properties, 'X11Options'),
  };
}
