// The identity section: hostname and machine-info, time zone and clock settings, locale and keyboard,
// one group per systemd service that manages it (hostname1, timedate1, locale1).
import { z } from 'zod';
import { fileProblemSchema } from '../shared/file-problem.js';

const optionalText = (what: string) => z.string().nullable().describe(`${what}; null when not set`);

export const hostnameConfigSchema = z
  .object({
    staticHostname: optionalText('Static hostname (/etc/hostname)'),
    prettyHostname: optionalText('Free-form pretty hostname (PRETTY_HOSTNAME)'),
    chassis: optionalText(
      'Chassis type as configured (CHASSIS in /etc/machine-info: desktop, laptop, server, vm, container …); what hostname1 detects when it is unset is facts.hostname.detectedChassis',
    ),
    deployment: optionalText('Deployment environment (DEPLOYMENT, e.g. production)'),
    location: optionalText('Physical location (LOCATION)'),
    iconName: optionalText(
      'Icon name as configured (ICON_NAME in /etc/machine-info); what hostname1 derives from the chassis when it is unset is facts.hostname.detectedIconName',
    ),
  })
  .strict();

export const timeConfigSchema = z
  .object({
    timezone: optionalText('Time zone name as in the tz database, e.g. Europe/Warsaw'),
    ntp: z
      .boolean()
      .nullable()
      .describe('Network time synchronisation enabled; null when unknown (only files were readable)'),
    localRtc: z.boolean().nullable().describe('Hardware clock kept in local time rather than UTC'),
  })
  .strict();

export const localeConfigSchema = z
  .object({
    variables: z
      .record(z.string(), z.string())
      .describe(
        'System locale variables (LANG, LC_*) a locale file sets (/etc/locale.conf, /etc/default/locale), sorted by name; empty when no locale file exists (what services then get is facts.locale.reportedVariables)',
      ),
    vconsoleKeymap: optionalText('Virtual console keymap (KEYMAP)'),
    vconsoleKeymapToggle: optionalText('Virtual console toggle keymap (KEYMAP_TOGGLE)'),
    x11Layout: optionalText('X11 keyboard layout (XKBLAYOUT)'),
    x11Model: optionalText('X11 keyboard model (XKBMODEL)'),
    x11Variant: optionalText('X11 keyboard variant (XKBVARIANT)'),
    x11Options: optionalText('X11 keyboard options (XKBOPTIONS)'),
  })
  .strict();

export const identityConfigSchema = z
  .object({ hostname: hostnameConfigSchema, time: timeConfigSchema, locale: localeConfigSchema })
  .strict();

export const hostnameFactsSchema = z
  .object({
    transientHostname: optionalText('Hostname the kernel currently uses'),
    operatingSystem: optionalText('Operating system pretty name (os-release PRETTY_NAME)'),
    kernelName: optionalText('Kernel name'),
    kernelRelease: optionalText('Kernel release'),
    kernelVersion: optionalText('Kernel build version string'),
    hardwareVendor: optionalText('Hardware vendor'),
    hardwareModel: optionalText('Hardware model'),
    detectedChassis: optionalText(
      'Chassis hostname1 reports: the configured one, else what it detects (vm, container, DMI data …); null when hostname1 was not asked',
    ),
    detectedIconName: optionalText(
      'Icon name hostname1 reports: the configured one, else one derived from the chassis; null when hostname1 was not asked',
    ),
  })
  .strict();

export const timeFactsSchema = z
  .object({
    ntpSynchronized: z.boolean().nullable().describe('Clock synchronised; null when unknown'),
    canNtp: z.boolean().nullable().describe('An NTP service is available to enable; null when unknown'),
  })
  .strict();

export const localeFactsSchema = z
  .object({
    reportedVariables: z
      .record(z.string(), z.string())
      .nullable()
      .describe(
        "System locale as locale1 reports it: the locale file's variables, or, when no locale file exists, the environment localed inherited from the service manager (its built-in default such as LANG=C.UTF-8, or locale.* on the kernel command line); null when locale1 was not asked",
      ),
  })
  .strict();

const sourceSchema = z.enum(['dbus', 'files']);

export const identityFactsSchema = z
  .object({
    sources: z
      .object({ hostname: sourceSchema, time: sourceSchema, locale: sourceSchema })
      .strict()
      .describe('Where each part was read: the systemd service over D-Bus, or files under the machine root'),
    fallbackReasons: z
      .object({ hostname: z.string().optional(), time: z.string().optional(), locale: z.string().optional() })
      .strict()
      .describe('Why a part was read from files instead of D-Bus'),
    hostname: hostnameFactsSchema,
    time: timeFactsSchema,
    locale: localeFactsSchema,
    problems: z
      .array(fileProblemSchema)
      .describe('Files that could not be read and unusable lines in them (secrets in a line redacted)'),
  })
  .strict();

export type HostnameConfig = z.infer<typeof hostnameConfigSchema>;
export type TimeConfig = z.infer<typeof timeConfigSchema>;
export type LocaleConfig = z.infer<typeof localeConfigSchema>;
export type HostnameFacts = z.infer<typeof hostnameFactsSchema>;
export type TimeFacts = z.infer<typeof timeFactsSchema>;
export type LocaleFacts = z.infer<typeof localeFactsSchema>;
export type IdentityConfig = z.infer<typeof identityConfigSchema>;
export type IdentityFacts = z.infer<typeof identityFactsSchema>;
export type IdentityProblem = IdentityFacts['problems'][number];
