import { describe, expect, it } from 'vitest';
import { LOCALE_VARIABLE_NAMES } from './grammar.js';
import { localedResult, predictSetLocale, setLocaleArguments } from './locale-call.js';

describe('setLocaleArguments', () => {
  it('names every variable when LANG is set, the unwanted ones with LANG so localed drops them', () => {
    const args = setLocaleArguments({ LANG: 'de_DE.UTF-8', LC_TIME: 'en_GB.UTF-8' });
    expect(args).toHaveLength(LOCALE_VARIABLE_NAMES.length);
    expect(args.slice(0, 5)).toEqual([
      'LANG=de_DE.UTF-8',
      'LANGUAGE=de_DE.UTF-8',
      'LC_CTYPE=de_DE.UTF-8',
      'LC_NUMERIC=de_DE.UTF-8',
      'LC_TIME=en_GB.UTF-8',
    ]);
  });

  it('names only the given variables without LANG, and nothing for an empty locale', () => {
    expect(setLocaleArguments({ LC_TIME: 'C', LANGUAGE: 'de:en' })).toEqual(['LANGUAGE=de:en', 'LC_TIME=C']);
    expect(setLocaleArguments({})).toEqual([]);
  });
});

describe('localedResult (as measured on systemd 252)', () => {
  it('keeps variables a call does not name', () => {
    expect(localedResult({ LANG: 'C.UTF-8', LC_TIME: 'C' }, ['LC_NUMERIC=C'])).toEqual({
      LANG: 'C.UTF-8',
      LC_NUMERIC: 'C',
      LC_TIME: 'C',
    });
  });

  it('drops variables equal to LANG', () => {
    expect(localedResult({ LANG: 'C', LC_TIME: 'C.UTF-8' }, ['LANG=C.UTF-8', 'LC_NUMERIC=C.UTF-8'])).toEqual({
      LANG: 'C.UTF-8',
    });
  });
});

describe('predictSetLocale', () => {
  const inherited = { LANG: 'C.UTF-8' };

  it('gives the desired locale when localed can store it, unsetting what the desired one lacks', () => {
    const current = { LANG: 'C.UTF-8', LC_TIME: 'C', LC_NUMERIC: 'C' };
    expect(predictSetLocale(current, current, { LANG: 'C', LC_MESSAGES: 'C.UTF-8' })).toEqual({
      after: { LANG: 'C', LC_MESSAGES: 'C.UTF-8' },
    });
  });

  it('writes a locale file where there was none when the locale differs from the inherited one', () => {
    expect(predictSetLocale({}, inherited, { LANG: 'C.UTF-8', LC_TIME: 'C' })).toEqual({
      after: { LANG: 'C.UTF-8', LC_TIME: 'C' },
    });
  });

  it('says localed writes no file for a locale equal to the inherited one', () => {
    const outcome = predictSetLocale({}, inherited, { LANG: 'C.UTF-8' });
    expect(outcome.after).toEqual({});
    expect(outcome.shortfall).toMatch(/already uses this locale .* writes no file/);
  });

  it('says variables equal to LANG cannot be stored, and what the file will hold', () => {
    const outcome = predictSetLocale({ LANG: 'C' }, { LANG: 'C' }, { LANG: 'C.UTF-8', LC_TIME: 'C.UTF-8' });
    expect(outcome.after).toEqual({ LANG: 'C.UTF-8' });
    expect(outcome.shortfall).toMatch(/drops variables equal to LANG \(LC_TIME\)/);
  });

  it('says LANG and other variables cannot be unset without LANG in the desired locale', () => {
    const current = { LANG: 'C.UTF-8', LC_TIME: 'C' };
    expect(predictSetLocale(current, current, {})).toEqual({
      after: current,
      shortfall: expect.stringMatching(/cannot unset LANG/),
    });
    expect(predictSetLocale(current, current, { LC_TIME: 'POSIX' })).toEqual({
      after: { LANG: 'C.UTF-8', LC_TIME: 'POSIX' },
      shortfall: expect.stringMatching(/without LANG/),
    });
  });
});
