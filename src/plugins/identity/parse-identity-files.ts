// Pure readers for the files systemd's hostnamed, timedated and localed keep their settings in, used when
// those services cannot be asked over D-Bus.
import { sortedRecord } from '../../util/order.js';
import { isLocaleVariableName, isTimezoneName, isValidHostname } from './grammar.js';
import type { LocaleConfig } from './schema.js';

export function emptyToNull(value: string | undefined | null): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

function firstSettingLine(text: string): string | undefined {
  return text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '' && !line.startsWith('#'));
}

/** The hostname in /etc/hostname: the first line that is not blank or a comment, when it is a valid name. */
export function parseEtcHostname(text: string): { hostname: string | null; problem?: string } {
  const line = firstSettingLine(text);
  if (line === undefined) return { hostname: null };
  if (!isValidHostname(line))
    return { hostname: null, problem: `not a valid hostname: ${JSON.stringify(line)}` };
  return { hostname: line };
}

/** The zone an /etc/localtime symlink points at (…/zoneinfo/Europe/Warsaw → Europe/Warsaw). */
export function timezoneFromLocaltimeTarget(target: string): string | null {
  const marker = target.lastIndexOf('zoneinfo/');
  if (marker === -1) return null;
  const name = target.slice(marker + 'zoneinfo/'.length).replace(/^(posix|right)\//, '');
  return isTimezoneName(name) ? name : null;
}

/** Debian's /etc/timezone: the zone name on its first line. */
export function parseEtcTimezone(text: string): string | null {
  const line = firstSettingLine(text);
  return line !== undefined && isTimezoneName(line) ? line : null;
}

/** /etc/adjtime's third line says whether the hardware clock keeps local time; hwclock assumes UTC without it. */
export function parseAdjtime(text: string): boolean | null {
  const mode = text.split('\n')[2]?.trim();
  if (mode === undefined || mode === '' || mode === 'UTC') return false;
  if (mode === 'LOCAL') return true;
  return null;
}

/** Locale settings from an env file: only the variables localed manages, empty ones dropped. */
export function pickLocaleVariables(values: Record<string, string>): Record<string, string> {
  return sortedRecord(
    Object.entries(values).filter(([name, value]) => isLocaleVariableName(name) && value !== ''),
  );
}

/** locale1's Locale property is a list of `NAME=value` strings. */
export function localeVariablesFromList(list: readonly string[]): Record<string, string> {
  const entries: [string, string][] = [];
  for (const item of list) {
    const equals = item.indexOf('=');
    if (equals > 0) entries.push([item.slice(0, equals), item.slice(equals + 1)]);
  }
  return sortedRecord(entries);
}

export type KeyboardConfig = Omit<LocaleConfig, 'variables'>;

/**
 * Keyboard settings from /etc/vconsole.conf and Debian's /etc/default/keyboard: the console keymap comes from
 * vconsole.conf; each X11 setting from vconsole.conf when it has one (systemd ≥ 253 keeps them there), else
 * from /etc/default/keyboard, which Debian's localed uses.
 */
export function keyboardFromFiles(
  vconsole: Record<string, string>,
  defaultKeyboard: Record<string, string>,
): KeyboardConfig {
  const x11 = (name: string) => emptyToNull(vconsole[name]) ?? emptyToNull(defaultKeyboard[name]);
  return {
    vconsoleKeymap: emptyToNull(vconsole.KEYMAP),
    vconsoleKeymapToggle: emptyToNull(vconsole.KEYMAP_TOGGLE),
    x11Layout: x11('XKBLAYOUT'),
    x11Model: x11('XKBMODEL'),
    x11Variant: x11('XKBVARIANT'),
    x11Options: x11('XKBOPTIONS'),
  };
}
