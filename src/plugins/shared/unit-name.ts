// Unit names as systemd.unit(5) defines them (prefix[@instance].type), checked the way systemd's
// unit_name_is_valid() checks them, so a name op-dbus accepts is a name systemd accepts.

export const UNIT_TYPES = [
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
] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

/** systemd's UNIT_NAME_MAX is 256 including the terminating NUL. */
export const UNIT_NAME_MAX_BYTES = 255;

const NAME_CHARS = /^[A-Za-z0-9:_.\\@-]+$/;
// systemd allows Alias= and instances only for these types (unit_type_may_alias / unit_type_may_template).
const ALIASABLE_TYPES: ReadonlySet<string> = new Set([
  'service',
  'socket',
  'target',
  'device',
  'timer',
  'path',
]);
const TEMPLATABLE_TYPES: ReadonlySet<string> = new Set(['service', 'socket', 'target', 'timer', 'path']);

export type UnitNameKind = 'plain' | 'template' | 'instance';

export interface UnitName {
  name: string;
  /** The part before `@` (or before the type suffix for plain names). */
  prefix: string;
  /** The instance of `foo@bar.service` (`bar`); empty for templates, undefined for plain names. */
  instance: string | undefined;
  type: UnitType;
  kind: UnitNameKind;
}

function isUnitType(value: string): value is UnitType {
  return (UNIT_TYPES as readonly string[]).includes(value);
}

/** Splits a unit name into its parts, or undefined when systemd would reject it. */
export function parseUnitName(name: string): UnitName | undefined {
  if (name === '' || Buffer.byteLength(name, 'utf8') > UNIT_NAME_MAX_BYTES) return undefined;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const type = name.slice(dot + 1);
  const stem = name.slice(0, dot);
  if (!isUnitType(type) || !NAME_CHARS.test(stem)) return undefined;
  const at = stem.indexOf('@');
  if (at === 0) return undefined;
  if (at === -1) return { name, prefix: stem, instance: undefined, type, kind: 'plain' };
  const instance = stem.slice(at + 1);
  return { name, prefix: stem.slice(0, at), instance, type, kind: instance === '' ? 'template' : 'instance' };
}

export function isValidUnitName(
  name: string,
  kinds: readonly UnitNameKind[] = ['plain', 'template', 'instance'],
): boolean {
  const parsed = parseUnitName(name);
  return parsed !== undefined && kinds.includes(parsed.kind);
}

/** `foo@bar.service` → `foo@.service`; undefined for names that are not instances. */
export function templateOf(name: string): string | undefined {
  const parsed = parseUnitName(name);
  if (parsed?.kind !== 'instance') return undefined;
  return `${parsed.prefix}@.${parsed.type}`;
}

/** `foo@.service` + `bar` → `foo@bar.service` (also re-instantiates an instance); undefined when not possible. */
export function withInstance(name: string, instance: string): string | undefined {
  const parsed = parseUnitName(name);
  if (parsed === undefined || parsed.kind === 'plain') return undefined;
  const result = `${parsed.prefix}@${instance}.${parsed.type}`;
  return parseUnitName(result)?.kind === 'instance' ? result : undefined;
}

export function unitTypeMayAlias(type: UnitType): boolean {
  return ALIASABLE_TYPES.has(type);
}

export function unitTypeMayTemplate(type: UnitType): boolean {
  return TEMPLATABLE_TYPES.has(type);
}
