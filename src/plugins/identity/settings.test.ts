import { describe, expect, it } from 'vitest';
import type { IdentityConfig } from './schema.js';
import {
  describeSettingValue,
  IDENTITY_SETTINGS,
  setterCall,
  settingOfKind,
  settingValue,
} from './settings.js';

const CONFIG: IdentityConfig = {
  hostname: {
    staticHostname: 'web-02',
    prettyHostname: null,
    chassis: 'vm',
    deployment: null,
    location: null,
    iconName: null,
  },
  time: { timezone: 'Europe/Warsaw', ntp: true, localRtc: false },
  locale: {
    variables: { LANG: 'pl_PL.UTF-8' },
    vconsoleKeymap: 'pl2',
    vconsoleKeymapToggle: null,
    x11Layout: 'pl',
    x11Model: null,
    x11Variant: null,
    x11Options: null,
  },
};

/** Member, signature and arguments of the call that sets `kind` to its value in CONFIG. */
function callOf(kind: string) {
  const setting = settingOfKind(kind);
  const call = setterCall(setting, settingValue(setting, CONFIG));
  return call && [call.service, call.path, call.member, call.signature, call.args];
}

describe('identity setter calls', () => {
  it('covers every config field exactly once', () => {
    const fields = IDENTITY_SETTINGS.flatMap((setting) =>
      setting.fields.map((field) => `${setting.part}.${field}`),
    );
    const configFields = Object.entries(CONFIG).flatMap(([part, values]) =>
      Object.keys(values).map((field) => `${part}.${field}`),
    );
    expect(fields.sort()).toEqual(configFields.sort());
  });

  it('sets hostname1 values non-interactively, and unsets with an empty string', () => {
    expect(callOf('static-hostname')).toEqual([
      'org.freedesktop.hostname1',
      '/org/freedesktop/hostname1',
      'SetStaticHostname',
      'sb',
      ['web-02', false],
    ]);
    expect(callOf('chassis')?.slice(2)).toEqual(['SetChassis', 'sb', ['vm', false]]);
    expect(callOf('pretty-hostname')?.slice(2)).toEqual(['SetPrettyHostname', 'sb', ['', false]]);
  });

  it('calls timedate1 with its own argument lists, and has nothing to say for a null time zone', () => {
    expect(callOf('timezone')?.slice(0, 5)).toEqual([
      'org.freedesktop.timedate1',
      '/org/freedesktop/timedate1',
      'SetTimezone',
      'sb',
      ['Europe/Warsaw', false],
    ]);
    expect(callOf('ntp')?.slice(2)).toEqual(['SetNTP', 'bb', [true, false]]);
    expect(callOf('local-rtc')?.slice(2)).toEqual(['SetLocalRTC', 'bbb', [false, false, false]]);
    expect(setterCall(settingOfKind('timezone'), null)).toBeUndefined();
    expect(setterCall(settingOfKind('ntp'), null)).toBeUndefined();
  });

  it('sets keyboards without converting between console and X11, unset fields as empty strings', () => {
    expect(callOf('vconsole-keyboard')?.slice(2)).toEqual([
      'SetVConsoleKeyboard',
      'ssbb',
      ['pl2', '', false, false],
    ]);
    expect(callOf('x11-keyboard')?.slice(2)).toEqual([
      'SetX11Keyboard',
      'ssssbb',
      ['pl', '', '', '', false, false],
    ]);
  });

  it('sets the locale with every variable named, and calls nothing for an empty one', () => {
    const [, path, member, signature, args] = callOf('locale') ?? [];
    expect([path, member, signature]).toEqual(['/org/freedesktop/locale1', 'SetLocale', 'asb']);
    expect((args as unknown[])[0]).toContain('LC_TIME=pl_PL.UTF-8');
    expect((args as unknown[])[1]).toBe(false);
    expect(setterCall(settingOfKind('locale'), {})).toBeUndefined();
  });

  it('describes values for people', () => {
    expect(describeSettingValue(null)).toBe('unset');
    expect(describeSettingValue(true)).toBe('on');
    expect(describeSettingValue('web-02')).toBe('"web-02"');
    expect(describeSettingValue({ x11Layout: 'pl', x11Model: null })).toBe('x11Layout=pl');
    expect(describeSettingValue({ vconsoleKeymap: null })).toBe('unset');
  });

  it('refuses a kind it does not know', () => {
    expect(() => settingOfKind('kernel-hostname')).toThrow(/no setting of kind kernel-hostname/);
  });
});
