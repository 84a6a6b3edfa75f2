import { describe, expect, it } from 'vitest';
import { unescapeBusLabel, unitNameFromObjectPath } from './unit-path.js';

describe('unescapeBusLabel', () => {
  it('decodes _xx byte escapes', () => {
    expect(unescapeBusLabel('systemd_2dhostnamed_2eservice')).toBe('systemd-hostnamed.service');
    expect(unescapeBusLabel('getty_40tty1_2eservice')).toBe('getty@tty1.service');
    expect(unescapeBusLabel('_2d_2emount')).toBe('-.mount');
    expect(unescapeBusLabel('dbus_2eservice')).toBe('dbus.service');
  });
  it('decodes escaped underscores and uppercase hex', () => {
    expect(unescapeBusLabel('my_5fdaemon_2Eservice')).toBe('my_daemon.service');
  });
  it('decodes multi-byte UTF-8 sequences', () => {
    expect(unescapeBusLabel('caf_c3_a9')).toBe('café');
  });
  it('reads a lone underscore as the empty label and keeps malformed escapes verbatim', () => {
    expect(unescapeBusLabel('_')).toBe('');
    expect(unescapeBusLabel('a_zz')).toBe('a_zz');
    expect(unescapeBusLabel('trailing_2')).toBe('trailing_2');
  });
});

describe('unitNameFromObjectPath', () => {
  it('turns systemd unit object paths into unit names', () => {
    expect(unitNameFromObjectPath('/org/freedesktop/systemd1/unit/systemd_2dlogind_2eservice')).toBe(
      'systemd-logind.service',
    );
    expect(unitNameFromObjectPath('/org/freedesktop/systemd1/unit/init_2escope')).toBe('init.scope');
    expect(unitNameFromObjectPath('/org/freedesktop/systemd1/unit/session_2d2_2escope')).toBe(
      'session-2.scope',
    );
  });
  it('rejects other paths and labels that do not decode to a unit name', () => {
    expect(unitNameFromObjectPath('/org/freedesktop/systemd1')).toBeUndefined();
    expect(unitNameFromObjectPath('/org/freedesktop/systemd1/unit/')).toBeUndefined();
    expect(unitNameFromObjectPath('/org/freedesktop/systemd1/unit/a/b')).toBeUndefined();
    expect(unitNameFromObjectPath('/org/freedesktop/systemd1/unit/nodot')).toBeUndefined();
    expect(unitNameFromObjectPath('/org/freedesktop/systemd1/job/42')).toBeUndefined();
  });
});
