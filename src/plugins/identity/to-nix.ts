// The identity section as NixOS options: networking.hostName, time.timeZone,
// time.hardwareClockInLocalTime, i18n.defaultLocale and i18n.extraLocaleSettings, console.keyMap.
import type { NixContribution, NixOption, NotExported } from '../../export/nix/contribution.js';
import type { IdentityConfig } from './schema.js';

/** NixOS refuses a hostName with dots (the domain goes to networking.domain) and other RFC 1123 forms. */
const NIXOS_HOSTNAME = /^$|^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/;

const NOT_IN_NIXOS = 'NixOS has no option for it (it would need an environment.etc file written by hand)';

function hostnameOptions(config: IdentityConfig['hostname'], unmapped: NotExported[]): NixOption[] {
  const options: NixOption[] = [];
  const name = config.staticHostname;
  if (name !== null) {
    if (NIXOS_HOSTNAME.test(name)) options.push({ path: ['networking', 'hostName'], value: name });
    else
      unmapped.push({
        item: '$.sections.identity.config.hostname.staticHostname',
        reason: `NixOS networking.hostName refuses ${JSON.stringify(name)} (no dots; split it into networking.hostName and networking.domain by hand)`,
      });
  }
  for (const key of ['prettyHostname', 'chassis', 'deployment', 'location', 'iconName'] as const)
    if (config[key] !== null)
      unmapped.push({
        item: `$.sections.identity.config.hostname.${key}`,
        reason: `/etc/machine-info: ${NOT_IN_NIXOS}`,
      });
  return options;
}

function timeOptions(config: IdentityConfig['time'], unmapped: NotExported[]): NixOption[] {
  const options: NixOption[] = [];
  if (config.timezone !== null) options.push({ path: ['time', 'timeZone'], value: config.timezone });
  if (config.localRtc !== null)
    options.push({ path: ['time', 'hardwareClockInLocalTime'], value: config.localRtc });
  if (config.ntp !== null)
    unmapped.push({
      item: '$.sections.identity.config.time.ntp',
      reason:
        'NixOS turns network time on through the NTP service itself (services.timesyncd.enable, set from the systemd section when systemd-timesyncd.service is enabled or disabled)',
    });
  return options;
}

function localeOptions(config: IdentityConfig['locale'], unmapped: NotExported[]): NixOption[] {
  const options: NixOption[] = [];
  const extra: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.variables)) {
    if (name === 'LANG') options.push({ path: ['i18n', 'defaultLocale'], value });
    else if (name.startsWith('LC_')) extra[name] = value;
    else
      unmapped.push({
        item: `$.sections.identity.config.locale.variables.${name}`,
        reason: 'i18n has options for LANG and LC_* only',
      });
  }
  if (Object.keys(extra).length > 0) options.push({ path: ['i18n', 'extraLocaleSettings'], value: extra });
  if (config.vconsoleKeymap !== null)
    options.push({ path: ['console', 'keyMap'], value: config.vconsoleKeymap });
  for (const key of ['vconsoleKeymapToggle', 'x11Layout', 'x11Model', 'x11Variant', 'x11Options'] as const)
    if (config[key] !== null)
      unmapped.push({
        item: `$.sections.identity.config.locale.${key}`,
        reason:
          key === 'vconsoleKeymapToggle'
            ? 'console has no toggle keymap option'
            : 'the X11 keyboard options moved between nixpkgs releases (services.xserver.xkb.* since 24.05); set them by hand',
      });
  return options;
}

export function identityToNix(config: IdentityConfig): NixContribution {
  const unmapped: NotExported[] = [];
  const options = [
    ...hostnameOptions(config.hostname, unmapped),
    ...timeOptions(config.time, unmapped),
    ...localeOptions(config.locale, unmapped),
  ];
  return { options, unmapped };
}
