import { describe, expect, it } from 'vitest';
import { toDisplayPath, toJsonPointer } from './json-path.js';

describe('JSON paths', () => {
  it('escapes ~ and / in JSON Pointers (RFC 6901)', () => {
    expect(toJsonPointer(['sections', 'systemd', 'config', 'files', '/etc/systemd/system/a~b.service'])).toBe(
      '/sections/systemd/config/files/~1etc~1systemd~1system~1a~0b.service',
    );
  });

  it('names array indexes and non-identifier keys readably', () => {
    expect(toDisplayPath(['sections', 'dbus-services', 'facts', 'names', 3, 'name'])).toBe(
      '$.sections["dbus-services"].facts.names[3].name',
    );
  });
});
