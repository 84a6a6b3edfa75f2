import { describe, expect, it } from 'vitest';
import {
  isValidUnitName,
  parseUnitName,
  templateOf,
  UNIT_NAME_MAX_BYTES,
  unitTypeMayAlias,
  unitTypeMayTemplate,
  withInstance,
} from './unit-name.js';

describe('parseUnitName', () => {
  it('splits plain, template and instance names', () => {
    expect(parseUnitName('ssh.service')).toEqual({
      name: 'ssh.service',
      prefix: 'ssh',
      instance: undefined,
      type: 'service',
      kind: 'plain',
    });
    expect(parseUnitName('getty@.service')).toMatchObject({
      prefix: 'getty',
      instance: '',
      kind: 'template',
    });
    expect(parseUnitName('getty@tty1.service')).toMatchObject({
      prefix: 'getty',
      instance: 'tty1',
      kind: 'instance',
    });
  });

  it('takes the first @ as the instance separator and keeps later ones in the instance', () => {
    expect(parseUnitName('user@1000@x.service')).toMatchObject({ prefix: 'user', instance: '1000@x' });
  });

  it('accepts the escaped names systemd generates for paths and devices', () => {
    for (const name of [
      'dev-disk-by\\x2duuid-1234.device',
      'run-user-1000.mount',
      '-.mount',
      '-.slice',
      'systemd-fsck@dev-disk-by\\x2dlabel-root.service',
      'a:b_c.d-e.target',
      'system-getty.slice',
      'session-2.scope',
    ]) {
      expect(isValidUnitName(name), name).toBe(true);
    }
  });

  it('rejects names systemd rejects', () => {
    for (const name of [
      '',
      'ssh',
      '.service',
      'ssh.',
      'ssh.services',
      'ssh.Service',
      '@foo.service',
      '@.service',
      'a b.service',
      'ssh/x.service',
      'émoji.service',
      'multi-user.target.wants',
      'foo.service.d',
      'x.conf',
    ]) {
      expect(isValidUnitName(name), JSON.stringify(name)).toBe(false);
    }
  });

  it('allows 255 bytes and no more', () => {
    const longest = `${'a'.repeat(UNIT_NAME_MAX_BYTES - '.service'.length)}.service`;
    expect(Buffer.byteLength(longest)).toBe(255);
    expect(isValidUnitName(longest)).toBe(true);
    expect(isValidUnitName(`a${longest}`)).toBe(false);
  });

  it('knows every unit type suffix', () => {
    for (const type of [
      'service',
      'socket',
      'target',
      'device',
      'mount',
      'automount',
      'swap',
      'timer',
      'path',
      'slice',
      'scope',
    ]) {
      expect(parseUnitName(`x.${type}`)?.type).toBe(type);
    }
  });

  it('filters by kind', () => {
    expect(isValidUnitName('getty@.service', ['template'])).toBe(true);
    expect(isValidUnitName('getty@.service', ['plain', 'instance'])).toBe(false);
    expect(isValidUnitName('getty@tty1.service', ['instance'])).toBe(true);
  });
});

describe('templates and instances', () => {
  it('finds the template of an instance', () => {
    expect(templateOf('getty@tty1.service')).toBe('getty@.service');
    expect(templateOf('getty@.service')).toBeUndefined();
    expect(templateOf('ssh.service')).toBeUndefined();
    expect(templateOf('not a unit')).toBeUndefined();
  });

  it('instantiates templates and re-instantiates instances, never plain units', () => {
    expect(withInstance('getty@.service', 'tty2')).toBe('getty@tty2.service');
    expect(withInstance('getty@tty1.service', 'tty2')).toBe('getty@tty2.service');
    expect(withInstance('ssh.service', 'x')).toBeUndefined();
    expect(withInstance('getty@.service', '')).toBeUndefined();
    expect(withInstance('getty@.service', 'bad instance')).toBeUndefined();
  });

  it('knows which unit types may be aliased or templated', () => {
    expect(unitTypeMayAlias('service')).toBe(true);
    expect(unitTypeMayAlias('mount')).toBe(false);
    expect(unitTypeMayTemplate('timer')).toBe(true);
    expect(unitTypeMayTemplate('device')).toBe(false);
    expect(unitTypeMayTemplate('slice')).toBe(false);
  });
});
