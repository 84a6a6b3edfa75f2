import { describe, expect, it } from 'vitest';
import { hasInstallRules, readInstallSection } from './install-section.js';
import { parseUnitFile } from './parse-unit-file.js';

const read = (name: string, ...texts: string[]) => readInstallSection(name, texts.map(parseUnitFile));

describe('readInstallSection', () => {
  it('reads the [Install] settings that decide enablement', () => {
    const result = read(
      'systemd-timesyncd.service',
      '[Unit]\nDescription=x\n[Install]\nWantedBy=sysinit.target\nAlias=dbus-org.freedesktop.timesync1.service\n',
    );
    expect(result).toEqual({
      ok: true,
      install: {
        aliases: ['dbus-org.freedesktop.timesync1.service'],
        wantedBy: ['sysinit.target'],
        requiredBy: [],
        upheldBy: [],
        also: [],
        defaultInstance: undefined,
      },
    });
  });

  it('ignores settings outside [Install] and unknown keys inside it', () => {
    const result = read('a.service', '[Unit]\nWantedBy=x.target\n[Install]\nX-Vendor=1\n');
    expect(result.ok && hasInstallRules(result.install)).toBe(false);
  });

  it('applies drop-ins after the unit file: they add to lists and an empty assignment resets them', () => {
    const result = read(
      'a.service',
      '[Install]\nWantedBy=multi-user.target\n',
      '[Install]\nWantedBy=\nRequiredBy=b.target\n',
    );
    expect(result.ok && [result.install.wantedBy, result.install.requiredBy]).toEqual([[], ['b.target']]);
  });

  it('does not reset Also= on an empty assignment, as systemd does not', () => {
    const result = read('a.service', '[Install]\nAlso=b.service c.socket\nAlso=\n');
    expect(result.ok && result.install.also).toEqual(['b.service', 'c.socket']);
  });

  it('takes DefaultInstance= only for templates, the last assignment winning', () => {
    const template = read('getty@.service', '[Install]\nDefaultInstance=tty1\nDefaultInstance=tty2\n');
    expect(template.ok && template.install.defaultInstance).toBe('tty2');
    const cleared = read('getty@.service', '[Install]\nDefaultInstance=tty1\nDefaultInstance=\n');
    expect(cleared.ok && cleared.install.defaultInstance).toBeUndefined();
    const instance = read('getty@tty5.service', '[Install]\nDefaultInstance=tty1\n');
    expect(instance.ok && instance.install.defaultInstance).toBeUndefined();
  });

  it('ignores Alias= for unit types that cannot have aliases', () => {
    const result = read('data.mount', '[Install]\nAlias=other.mount\n');
    expect(result.ok && result.install.aliases).toEqual([]);
  });

  it('leaves files systemd would reject, or whose names need specifier expansion, to systemd', () => {
    expect(read('a.service', '[Install\nWantedBy=x.target\n')).toMatchObject({ ok: false });
    expect(read('a@.service', '[Install]\nAlias=b@%i.service\n')).toMatchObject({ ok: false });
    expect(read('a@.service', '[Install]\nDefaultInstance=%H\n')).toMatchObject({ ok: false });
    expect(read('a@.service', '[Install]\nDefaultInstance=not valid\n')).toMatchObject({ ok: false });
    expect(read('a.service', '[Install]\nAlso=not-a-unit\n')).toMatchObject({ ok: false });
    expect(read('not a unit', '[Install]\n')).toMatchObject({ ok: false });
  });

  it('counts Alias=, WantedBy=, RequiredBy= and UpheldBy= as install rules, Also= not', () => {
    const rules = (text: string) => {
      const result = read('a.service', text);
      return result.ok && hasInstallRules(result.install);
    };
    expect(rules('[Install]\nAlias=b.service\n')).toBe(true);
    expect(rules('[Install]\nRequiredBy=b.target\n')).toBe(true);
    expect(rules('[Install]\nUpheldBy=b.target\n')).toBe(true);
    expect(rules('[Install]\nAlso=b.service\n')).toBe(false);
    expect(rules('')).toBe(false);
  });
});
