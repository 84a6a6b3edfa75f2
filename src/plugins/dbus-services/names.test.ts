import { describe, expect, it } from 'vitest';
import { isInterfaceName, isObjectPathElement, isUniqueBusName, isWellKnownBusName } from './names.js';

describe('isWellKnownBusName', () => {
  it('accepts reverse-domain names, including hyphens and underscores', () => {
    for (const name of [
      'org.freedesktop.login1',
      'fi.w1.wpa_supplicant1',
      'org.freedesktop.nm-dispatcher',
      'a.b',
    ]) {
      expect(isWellKnownBusName(name)).toBe(true);
    }
  });
  it('rejects unique names, single elements, empty elements and elements starting with a digit', () => {
    for (const name of [
      ':1.42',
      'org',
      'org..freedesktop',
      '.org.x',
      'org.1x',
      '',
      'org.free desktop',
      `a.${'b'.repeat(255)}`,
    ]) {
      expect(isWellKnownBusName(name)).toBe(false);
    }
  });
});

describe('isUniqueBusName', () => {
  it('accepts :1.42 style names, whose elements may start with digits', () => {
    expect(isUniqueBusName(':1.42')).toBe(true);
    expect(isUniqueBusName(':1.0')).toBe(true);
  });
  it('rejects well-known names and malformed unique names', () => {
    for (const name of ['org.freedesktop.DBus', ':1', ':', ':1..2'])
      expect(isUniqueBusName(name)).toBe(false);
  });
});

describe('isInterfaceName', () => {
  it('accepts dotted identifiers', () => {
    expect(isInterfaceName('org.freedesktop.systemd1.Manager')).toBe(true);
    expect(isInterfaceName('org.freedesktop.DBus.Properties')).toBe(true);
  });
  it('rejects hyphens, leading digits and single elements', () => {
    for (const name of ['org.free-desktop.X', 'org.1x', 'Manager', 'org.', ''])
      expect(isInterfaceName(name)).toBe(false);
  });
});

describe('isObjectPathElement', () => {
  it('accepts [A-Za-z0-9_]+ only', () => {
    expect(isObjectPathElement('systemd_2dhostnamed_2eservice')).toBe(true);
    expect(isObjectPathElement('_1')).toBe(true);
    for (const name of ['', 'a/b', 'a.b', 'a-b', '..']) expect(isObjectPathElement(name)).toBe(false);
  });
});
