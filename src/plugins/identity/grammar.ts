// The grammars identity settings follow: what hostnamed, timedated and localed accept, checked by the schema
// so a hostile document is refused (with its JSON path) before any setting reaches a service or a file.
import { hasControlCharacters } from '../shared/safe-path.js';

/** Longest static hostname systemd accepts (HOST_NAME_MAX). */
const MAX_HOSTNAME_LENGTH = 64;
// RFC 1123 label: letters, digits and inner hyphens, at most 63 characters.
const HOSTNAME_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
// Names in the tz database: letters, digits and `_+-.` in `/`-separated parts, never `.` or `..` parts.
const TIMEZONE = /^(?!.*(^|\/)\.{1,2}(\/|$))[A-Za-z0-9_+.-]+(\/[A-Za-z0-9_+.-]+)*$/;
const MAX_NAME_LENGTH = 255;
// A locale name (en_US.UTF-8, sr_RS@latin, C) or LANGUAGE's colon-separated list of them.
const LOCALE_VALUE = /^[A-Za-z0-9_.@+-]+(:[A-Za-z0-9_.@+-]+)*$/;
// A file name without a path (keymaps, icon names): what systemd's filename_is_valid and string_is_safe allow,
// narrowed to the characters real names use.
const SIMPLE_NAME = /^(?!\.{1,2}$)[A-Za-z0-9_.+-]+$/;
// hostname1's chassis types are lower-case words (vm, container, laptop …); hostnamed refuses unknown ones.
const CHASSIS = /^[a-z]{1,32}$/;
// systemd's VALID_DEPLOYMENT_CHARS.
const DEPLOYMENT = /^[A-Za-z0-9.:-]{1,255}$/;
/** Free text (pretty hostname, location) is bounded so a document cannot grow /etc/machine-info without limit. */
const MAX_FREE_TEXT_LENGTH = 1024;

/**
 * The variables localed manages, in systemd's order; LC_ALL is deliberately not one of them (localed refuses
 * it: it would override every other setting).
 */
export const LOCALE_VARIABLE_NAMES = [
  'LANG',
  'LANGUAGE',
  'LC_CTYPE',
  'LC_NUMERIC',
  'LC_TIME',
  'LC_COLLATE',
  'LC_MONETARY',
  'LC_MESSAGES',
  'LC_PAPER',
  'LC_NAME',
  'LC_ADDRESS',
  'LC_TELEPHONE',
  'LC_MEASUREMENT',
  'LC_IDENTIFICATION',
] as const;
const LOCALE_VARIABLES: ReadonlySet<string> = new Set(LOCALE_VARIABLE_NAMES);

export function isValidHostname(name: string): boolean {
  return name.length <= MAX_HOSTNAME_LENGTH && name.split('.').every((label) => HOSTNAME_LABEL.test(label));
}

export function isTimezoneName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && TIMEZONE.test(name);
}

export function isLocaleVariableName(name: string): boolean {
  return LOCALE_VARIABLES.has(name);
}

export function isLocaleValue(value: string): boolean {
  return value.length <= MAX_NAME_LENGTH && LOCALE_VALUE.test(value);
}

/** Keymaps and icon names: one file name, no path. */
export function isSimpleName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && SIMPLE_NAME.test(name);
}

export function isChassisName(name: string): boolean {
  return CHASSIS.test(name);
}

export function isDeploymentName(name: string): boolean {
  return DEPLOYMENT.test(name);
}

export function isFreeText(text: string): boolean {
  return text.length <= MAX_FREE_TEXT_LENGTH && !hasControlCharacters(text);
}

/** X11 keyboard settings (layouts "us,de", options "grp:alt_shift_toggle"): localed's string_is_safe. */
export function isSafeKeyboardText(text: string): boolean {
  return text.length <= MAX_NAME_LENGTH && !hasControlCharacters(text) && !/["'\\]/.test(text);
}
