// What localed's SetLocale does with a list of assignments, so a plan can say what the locale file will hold
// and never promise what the service will not store. Measured on systemd 252 (Debian 12): a call keeps the
// variables it does not name, refuses empty values, drops any variable equal to LANG, adds LANGUAGE from its
// fallback table when LANG is named without LANGUAGE, and writes nothing when the result equals what it has.
import { sortedRecord } from '../../util/order.js';
import { LOCALE_VARIABLE_NAMES } from './grammar.js';

export type LocaleVariables = Readonly<Record<string, string>>;

/**
 * Assignments that leave localed holding `variables`. With LANG every variable is named, the unwanted ones with
 * LANG's value (which localed then drops): that is the only way to unset one, and it keeps the fallback table
 * from adding a LANGUAGE nobody asked for. Without LANG a call can only add or replace variables.
 */
export function setLocaleArguments(variables: LocaleVariables): string[] {
  const lang = variables.LANG;
  if (lang === undefined) {
    return LOCALE_VARIABLE_NAMES.filter((name) => variables[name] !== undefined).map(
      (name) => `${name}=${variables[name]}`,
    );
  }
  return LOCALE_VARIABLE_NAMES.map((name) => `${name}=${variables[name] ?? lang}`);
}

/** The variables localed holds after `assignments`, from `held` (its view before the call). */
export function localedResult(held: LocaleVariables, assignments: readonly string[]): Record<string, string> {
  const merged: Record<string, string> = { ...held };
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    merged[assignment.slice(0, equals)] = assignment.slice(equals + 1);
  }
  return sortedRecord(
    Object.entries(merged).filter(([name, value]) => name === 'LANG' || value !== merged.LANG),
  );
}

export function sameVariables(a: LocaleVariables, b: LocaleVariables): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

export interface LocaleOutcome {
  /** The locale file's variables after SetLocale (`current` when localed would write nothing). */
  after: Record<string, string>;
  /** Why `after` is not `desired`, when it is not. */
  shortfall?: string;
}

/**
 * What asking localed for `desired` gives. `current` is the locale file's variables (config); `held` is what
 * localed works from: the file, or without one the environment it inherited (locale1's reported variables).
 */
export function predictSetLocale(
  current: LocaleVariables,
  held: LocaleVariables,
  desired: LocaleVariables,
): LocaleOutcome {
  const assignments = setLocaleArguments(desired);
  const result = localedResult(held, assignments);
  const after = sameVariables(result, held) ? { ...current } : result;
  if (sameVariables(after, desired)) return { after };
  return { after, shortfall: explainShortfall(current, held, desired, after) };
}

function explainShortfall(
  current: LocaleVariables,
  held: LocaleVariables,
  desired: LocaleVariables,
  after: LocaleVariables,
): string {
  const redundant = Object.keys(desired).filter((name) => name !== 'LANG' && desired[name] === desired.LANG);
  if (redundant.length > 0)
    return `localed drops variables equal to LANG (${redundant.join(', ')}), so the locale file cannot name them`;
  if (desired.LANG === undefined && Object.keys(after).some((name) => desired[name] === undefined))
    return 'without LANG in the desired locale, localed can add variables but cannot unset LANG or any other (remove the locale file yourself)';
  if (Object.keys(current).length === 0 && sameVariables(held, desired))
    return 'localed already uses this locale (inherited, with no locale file) and writes no file for an unchanged locale';
  return 'localed would not store this locale';
}
