import { describe, expect, it } from 'vitest';
import {
  keyboardFromFiles,
  localeVariablesFromList,
  parseAdjtime,
  parseEtcHostname,
  parseEtcTimezone,
  pickLocaleVariables,
  timezoneFromLocaltimeTarget,
} from './parse-identity-files.js';

describe('parseEtcHostname', () => {
  it('takes the first line that is not blank or a comment', () => {
    expect(parseEtcHostname('# set by cloud-init\n\n  web-01.example.com  \nignored\n')).toEqual({
      hostname: 'web-01.example.com',
    });
  });

  it('reports names systemd would reject and treats empty files as unset', () => {
    expect(parseEtcHostname('bad host name\n')).toEqual({
      hostname: null,
      problem: 'not a valid hostname: "bad host name"',
    });
    expect(parseEtcHostname('a'.repeat(65))).toMatchObject({ hostname: null });
    expect(parseEtcHostname('')).toEqual({ hostname: null });
    expect(parseEtcHostname('# only a comment\n')).toEqual({ hostname: null });
  });
});

describe('timezoneFromLocaltimeTarget', () => {
  it('accepts absolute, relative and posix/ targets', () => {
    expect(timezoneFromLocaltimeTarget('/usr/share/zoneinfo/Europe/Warsaw')).toBe('Europe/Warsaw');
    expect(timezoneFromLocaltimeTarget('../usr/share/zoneinfo/America/Argentina/Buenos_Aires')).toBe(
      'America/Argentina/Buenos_Aires',
    );
    expect(timezoneFromLocaltimeTarget('/usr/share/zoneinfo/Etc/GMT+5')).toBe('Etc/GMT+5');
    expect(timezoneFromLocaltimeTarget('/usr/share/zoneinfo/posix/Asia/Tokyo')).toBe('Asia/Tokyo');
  });

  it('rejects targets outside zoneinfo and path tricks', () => {
    expect(timezoneFromLocaltimeTarget('/etc/my-zone')).toBeNull();
    expect(timezoneFromLocaltimeTarget('/usr/share/zoneinfo/../../../etc/passwd')).toBeNull();
    expect(timezoneFromLocaltimeTarget('/usr/share/zoneinfo/')).toBeNull();
  });
});

describe('parseEtcTimezone', () => {
  it('reads the first line and ignores comments', () => {
    expect(parseEtcTimezone('Etc/UTC\n')).toBe('Etc/UTC');
    expect(parseEtcTimezone('# comment\n Europe/Berlin \n')).toBe('Europe/Berlin');
    expect(parseEtcTimezone('')).toBeNull();
    expect(parseEtcTimezone('not a zone!\n')).toBeNull();
  });
});

describe('parseAdjtime', () => {
  it('reads the clock mode from the third line', () => {
    expect(parseAdjtime('0.000000 1700000000 0.000000\n1700000000\nLOCAL\n')).toBe(true);
    expect(parseAdjtime('0.0 0 0.0\n0\nUTC\n')).toBe(false);
    expect(parseAdjtime('0.0 0 0.0\n0\n')).toBe(false);
    expect(parseAdjtime('')).toBe(false);
    expect(parseAdjtime('0.0 0 0.0\n0\nSOMETHING\n')).toBeNull();
  });
});

describe('locale variables', () => {
  it('turns the locale1 list into a sorted record', () => {
    expect(localeVariablesFromList(['LC_TIME=en_GB.UTF-8', 'LANG=en_US.UTF-8', 'garbage', '=x'])).toEqual({
      LANG: 'en_US.UTF-8',
      LC_TIME: 'en_GB.UTF-8',
    });
    expect(localeVariablesFromList([])).toEqual({});
  });

  it('keeps only the variables localed manages from an env file', () => {
    expect(
      pickLocaleVariables({
        LC_ALL: 'C',
        LANG: 'pl_PL.UTF-8',
        LANGUAGE: 'pl:en',
        LC_PAPER: '',
        EDITOR: 'vi',
      }),
    ).toEqual({
      LANG: 'pl_PL.UTF-8',
      LANGUAGE: 'pl:en',
    });
  });
});

describe('keyboardFromFiles', () => {
  it("prefers vconsole.conf and falls back to Debian's /etc/default/keyboard for X11 settings", () => {
    const vconsole = { KEYMAP: 'de-latin1', XKBLAYOUT: 'de' };
    const debian = {
      XKBMODEL: 'pc105',
      XKBLAYOUT: 'us',
      XKBVARIANT: '',
      XKBOPTIONS: 'ctrl:nocaps',
      BACKSPACE: 'guess',
    };
    expect(keyboardFromFiles(vconsole, debian)).toEqual({
      vconsoleKeymap: 'de-latin1',
      vconsoleKeymapToggle: null,
      x11Layout: 'de',
      x11Model: 'pc105',
      x11Variant: null,
      x11Options: 'ctrl:nocaps',
    });
    expect(keyboardFromFiles({}, {})).toEqual({
      vconsoleKeymap: null,
      vconsoleKeymapToggle: null,
      x11Layout: null,
      x11Model: null,
      x11Variant: null,
      x11Options: null,
    });
  });
});
