// The D-Bus grammars for object paths, interface, member and bus names, checked before anything is exported,
// owned or sent.

const MAX_NAME_LENGTH = 255;
const OBJECT_PATH = /^\/$|^(\/[A-Za-z0-9_]+)+$/;
const INTERFACE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const WELL_KNOWN_BUS_NAME = /^[A-Za-z_-][A-Za-z0-9_-]*(\.[A-Za-z_-][A-Za-z0-9_-]*)+$/;
const MEMBER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isObjectPath(path: string): boolean {
  return OBJECT_PATH.test(path);
}

/** Error names share the interface-name grammar. */
export function isInterfaceName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && INTERFACE_NAME.test(name);
}

export function isMemberName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && MEMBER_NAME.test(name);
}

/** A well-known name a service may own (unique names, `:1.42`, are the bus's to give). */
export function isWellKnownBusName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && WELL_KNOWN_BUS_NAME.test(name);
}
