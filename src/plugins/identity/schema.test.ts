import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeZodIssues } from '../../state/document.js';
import { type IdentityConfig, identityConfigSchema } from './schema.js';

const VALID: IdentityConfig = {
  hostname: {
    staticHostname: 'web-02.example.com',
    prettyHostname: 'Web server 02 — rack "B"',
    chassis: 'vm',
    deployment: 'production',
    location: 'Warsaw, DC 1',
    iconName: 'computer-vm',
  },
  time: { timezone: 'America/Argentina/Buenos_Aires', ntp: true, localRtc: false },
  locale: {
    variables: { LANG: 'en_US.UTF-8', LANGUAGE: 'en_US:en', LC_TIME: 'sr_RS@latin' },
    vconsoleKeymap: 'de-latin1-nodeadkeys',
    vconsoleKeymapToggle: null,
    x11Layout: 'us,de',
    x11Model: 'pc105',
    x11Variant: null,
    x11Options: 'grp:alt_shift_toggle,ctrl:nocaps',
  },
};

// The section as it sits in a document, so refusals name the path a user sees.
const documentSchema = z.object({
  sections: z.object({ identity: z.object({ config: identityConfigSchema }) }),
});

/** The refusals for VALID with `field` of `part` set to `value`. */
function refusals(part: keyof IdentityConfig, field: string, value: unknown): string[] {
  const config = structuredClone(VALID) as unknown as Record<string, Record<string, unknown>>;
  (config[part] as Record<string, unknown>)[field] = value;
  const result = documentSchema.safeParse({ sections: { identity: { config } } });
  return result.success ? [] : describeZodIssues(result.error.issues);
}

describe('identityConfigSchema', () => {
  it('accepts real-world values and nulls', () => {
    expect(documentSchema.safeParse({ sections: { identity: { config: VALID } } }).success).toBe(true);
    expect(refusals('hostname', 'staticHostname', 'a'.repeat(63))).toEqual([]);
    expect(refusals('hostname', 'staticHostname', null)).toEqual([]);
    expect(refusals('time', 'timezone', 'UTC')).toEqual([]);
    expect(refusals('locale', 'variables', {})).toEqual([]);
  });

  it.each([
    ['a space', 'web 02'],
    ['a shell metacharacter', 'web;reboot'],
    ['a leading hyphen', '-web'],
    ['a 64-character label', 'a'.repeat(64)],
    ['65 characters', `${'a'.repeat(32)}.${'b'.repeat(32)}`],
    ['an empty label', 'web..example'],
    ['a trailing dot', 'web.example.'],
    ['nothing in it', ''],
  ])('refuses a static hostname with %s', (_what, hostname) => {
    expect(refusals('hostname', 'staticHostname', hostname)).toEqual([
      expect.stringMatching(/^\$\.sections\.identity\.config\.hostname\.staticHostname: must be a hostname/),
    ]);
  });

  it.each([
    ['../../etc/shadow', 'a .. part'],
    ['/etc/localtime', 'an absolute path'],
    ['Europe/./Warsaw', 'a . part'],
    ['Europe/Warsaw\n', 'a newline'],
    ['Europe/War saw', 'a space'],
  ])('refuses the time zone %j (%s)', (timezone) => {
    expect(refusals('time', 'timezone', timezone)).toEqual([
      expect.stringMatching(/^\$\.sections\.identity\.config\.time\.timezone: must be a tz database name/),
    ]);
  });

  it('refuses locale variables localed does not manage, naming the variable', () => {
    expect(refusals('locale', 'variables', { LANG: 'C.UTF-8', LC_ALL: 'C' })).toEqual([
      '$.sections.identity.config.locale.variables.LC_ALL: must be a variable localed manages: LANG, LANGUAGE or LC_* (not LC_ALL)',
    ]);
  });

  it('refuses locale values that are no locale names', () => {
    const message = 'must be a locale name (en_US.UTF-8, C) or, for LANGUAGE, a colon-separated list of them';
    expect(refusals('locale', 'variables', { LANG: 'C.UTF-8\nLC_ALL=C' })).toEqual([
      `$.sections.identity.config.locale.variables.LANG: ${message}`,
    ]);
    expect(refusals('locale', 'variables', { LANG: '../x', PATH: '/tmp' })).toEqual([
      `$.sections.identity.config.locale.variables.LANG: ${message}`,
      `$.sections.identity.config.locale.variables.PATH: ${message}`,
      expect.stringMatching(/^\$\.sections\.identity\.config\.locale\.variables\.PATH: must be a variable/),
    ]);
  });

  it.each<[keyof IdentityConfig, string, string]>([
    ['hostname', 'prettyHostname', 'two\nlines'],
    ['hostname', 'location', 'x'.repeat(1025)],
    ['hostname', 'chassis', 'VM; rm'],
    ['hostname', 'deployment', 'prod uction'],
    ['hostname', 'iconName', '../icon'],
    ['locale', 'vconsoleKeymap', 'de/../../x'],
    ['locale', 'vconsoleKeymapToggle', '..'],
    ['locale', 'x11Options', 'grp:"x"'],
    ['locale', 'x11Layout', 'us\nXKBMODEL=evil'],
  ])('refuses a bad %s.%s with its path', (part, field, value) => {
    expect(refusals(part, field, value)).toEqual([
      expect.stringMatching(new RegExp(`^\\$\\.sections\\.identity\\.config\\.${part}\\.${field}: must be`)),
    ]);
  });
});
