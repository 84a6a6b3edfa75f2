import { describe, expect, it } from 'vitest';
import type { IdentityConfig } from './schema.js';
import { identityToNix } from './to-nix.js';

function config(): IdentityConfig {
  return {
    hostname: {
      staticHostname: 'web-01',
      prettyHostname: null,
      chassis: null,
      deployment: null,
      location: null,
      iconName: null,
    },
    time: { timezone: 'Europe/Warsaw', ntp: null, localRtc: false },
    locale: {
      variables: { LANG: 'en_US.UTF-8', LC_TIME: 'pl_PL.UTF-8' },
      vconsoleKeymap: 'pl',
      vconsoleKeymapToggle: null,
      x11Layout: null,
      x11Model: null,
      x11Variant: null,
      x11Options: null,
    },
  };
}

describe('identityToNix', () => {
  it('maps hostname, time zone, clock, locale and keymap', () => {
    expect(identityToNix(config())).toEqual({
      options: [
        { path: ['networking', 'hostName'], value: 'web-01' },
        { path: ['time', 'timeZone'], value: 'Europe/Warsaw' },
        { path: ['time', 'hardwareClockInLocalTime'], value: false },
        { path: ['i18n', 'defaultLocale'], value: 'en_US.UTF-8' },
        { path: ['i18n', 'extraLocaleSettings'], value: { LC_TIME: 'pl_PL.UTF-8' } },
        { path: ['console', 'keyMap'], value: 'pl' },
      ],
      unmapped: [],
    });
  });

  it('lists what NixOS has no option for, and a hostname it refuses', () => {
    const input = config();
    input.hostname.staticHostname = 'web-01.example.com';
    input.hostname.prettyHostname = 'Web "one"';
    input.time.ntp = true;
    input.locale.variables.LANGUAGE = 'pl:en';
    input.locale.x11Layout = 'pl';
    const { options, unmapped } = identityToNix(input);
    expect(options.map((option) => option.path.join('.'))).not.toContain('networking.hostName');
    expect(unmapped.map((entry) => entry.item)).toEqual([
      '$.sections.identity.config.hostname.staticHostname',
      '$.sections.identity.config.hostname.prettyHostname',
      '$.sections.identity.config.time.ntp',
      '$.sections.identity.config.locale.variables.LANGUAGE',
      '$.sections.identity.config.locale.x11Layout',
    ]);
  });
});
