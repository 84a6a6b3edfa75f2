// The identity section: hostname and machine-info, time zone and clock settings, locale and keyboard,
// one group per systemd service that manages it (hostname1, timedate1, locale1).
import { z } from 'zod';
import { checkedKeyRecord } from '../shared/checked-record.js';
import { fileProblemSchema } from '../shared/file-problem.js';
import {
  isChassisName,
  isDeploymentName,
  isFreeText,
  isLocaleValue,
  isLocaleVariableName,
  isSafeKeyboardText,
  isSimpleName,
  isTimezoneName,
  isValidHostname,
} from './grammar.js';

const optionalText = (what: string) => z.string().nullable().describe(`${what}; null when not set`);
/** A setting op-dbus may hand to a service: held to that service's grammar before it gets there. */
const checkedText = (what: string, valid: (text: string) => boolean, grammar: string) =>
  z
    .string()
    .refine(valid, { message: `must be ${grammar}` })
    .nullable()
    .describe(`${what}; null when not set`);
const simpleName = 'one name of letters, digits and _ . + - (no path)';
const keyboardText = 'text without control characters, quotes or backslashes';

export const hostnameConfigSchema = z
  .object({
    staticHostname: checkedText(
      'Static hostname (/etc/hostname)',
      isValidHostname,
      'a hostname: dot-separated RFC 1123 labels (letters, digits, inner hyphens; 63 at most), 64 characters at most',
    ),
    prettyHostname: checkedText(
      'Free-form pretty hostname (PRETTY_HOSTNAME)',
      isFreeText,
      'text without control characters, 1024 characters at most',
    ),
    chassis: checkedText(
      'Chassis type as configured (CHASSIS in /etc/machine-info: desktop, laptop, server, vm, container …); what hostname1 detects when it is unset is facts.hostname.detectedChassis',
      isChassisName,
      'a chassis type in lower-case letters (desktop, laptop, server, vm, container …)',
    ),
    deployment: checkedText(
      'Deployment environment (DEPLOYMENT, e.g. production)',
      isDeploymentName,
      'letters, digits and . : - only',
    ),
    location: checkedText(
      'Physical location (LOCATION)',
      isFreeText,
      'text without control characters, 1024 characters at most',
    ),
    iconName: checkedText(
      'Icon name as configured (ICON_NAME in /etc/machine-info); what hostname1 derives from the chassis when it is unset is facts.hostname.detectedIconName',
      isSimpleName,
      simpleName,
    ),
  })
  .strict();

export const timeConfigSchema = z
  .object({
    timezone: checkedText(
      'Time zone name as in the tz database, e.g. Europe/Warsaw',
      isTimezoneName,
      'a tz database name: /-separated parts of letters, digits and _ + - . (no . or .. parts)',
    ),
    ntp: z
      .boolean()
      .nullable()
      .describe('Network time synchronisation enabled; null when unknown (only files were readable)'),
    localRtc: z.boolean().nullable().describe('Hardware clock kept in local time rather than UTC'),
  })
  .strict();

export const localeConfigSchema = z
  .object({
    variables: checkedKeyRecord(
      isLocaleVariableName,
      'must be a variable localed manages: LANG, LANGUAGE or LC_* (not LC_ALL)',
      z.string().refine(isLocaleValue, {
        message: 'must be a locale name (en_US.UTF-8, C) or, for LANGUAGE, a colon-separated list of them',
      }),
    ).describe(
      'System locale variables (LANG, LC_*) a locale file sets (/etc/locale.conf, /etc/default/locale), sorted by name; empty when no locale file exists (what services then get is facts.locale.reportedVariables)',
    ),
    vconsoleKeymap: checkedText('Virtual console keymap (KEYMAP)', isSimpleName, simpleName),
    vconsoleKeymapToggle: checkedText(
      'Virtual console toggle keymap (KEYMAP_TOGGLE)',
      isSimpleName,
      simpleName,
    ),
    x11Layout: checkedText('X11 keyboard layout (XKBLAYOUT)', isSafeKeyboardText, keyboardText),
    x11Model: checkedText('X11 keyboard model (XKBMODEL)', isSafeKeyboardText, keyboardText),
    x11Variant: checkedText('X11 keyboard variant (XKBVARIANT)', isSafeKeyboardText, keyboardText),
    x11Options: checkedText('X11 keyboard options (XKBOPTIONS)', isSafeKeyboardText, keyboardText),
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
