// OVSDB's JSON encoding of values (RFC 7047 §5.1): atoms, ["uuid",…], ["named-uuid",…], ["set",[…]] and
// ["map",[[k,v]…]], built for requests and read back into plain values from replies.

export type OvsdbAtom = string | number | boolean | OvsdbUuid | OvsdbNamedUuid;
export type OvsdbUuid = ['uuid', string];
export type OvsdbNamedUuid = ['named-uuid', string];
export type OvsdbSet = ['set', OvsdbAtom[]];
export type OvsdbMap = ['map', [OvsdbAtom, OvsdbAtom][]];
export type OvsdbDatum = OvsdbAtom | OvsdbSet | OvsdbMap;
export type OvsdbRow = Record<string, OvsdbDatum>;

export function uuid(value: string): OvsdbUuid {
  return ['uuid', value];
}

/** A row inserted earlier in the same transaction, referred to by the name its insert gave it. */
export function namedUuid(name: string): OvsdbNamedUuid {
  return ['named-uuid', name];
}

/** A set with one element is sent as the bare atom, as RFC 7047 allows and ovs-vsctl does. */
export function ovsSet(values: readonly OvsdbAtom[]): OvsdbDatum {
  return values.length === 1 ? (values[0] as OvsdbAtom) : ['set', [...values]];
}

export function ovsMap(entries: Readonly<Record<string, string>>): OvsdbMap {
  return ['map', Object.entries(entries).map(([key, value]): [OvsdbAtom, OvsdbAtom] => [key, value])];
}

export function isUuid(datum: unknown): datum is OvsdbUuid {
  return Array.isArray(datum) && datum.length === 2 && datum[0] === 'uuid' && typeof datum[1] === 'string';
}

/** The atoms of a set-typed column: a bare atom is a one-element set, ["set",[]] an empty one. */
export function setAtoms(datum: unknown): OvsdbAtom[] {
  if (Array.isArray(datum) && datum[0] === 'set') return (datum[1] as OvsdbAtom[]) ?? [];
  if (datum === undefined || datum === null) return [];
  return [datum as OvsdbAtom];
}

/** A map column with string keys and values (other_config, options, external_ids). */
export function mapEntries(datum: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(datum) || datum[0] !== 'map') return out;
  for (const pair of datum[1] as [unknown, unknown][]) out[String(pair[0])] = String(pair[1]);
  return out;
}

/** The uuid string of a uuid atom, or undefined. */
export function uuidOf(datum: unknown): string | undefined {
  return isUuid(datum) ? datum[1] : undefined;
}

/** The uuids referenced by a set-of-uuid column. */
export function uuidSet(datum: unknown): string[] {
  return setAtoms(datum).flatMap((atom) => (isUuid(atom) ? [atom[1]] : []));
}

/** The one value of an optional (0..1) column, or undefined when it is the empty set. */
export function optionalAtom(datum: unknown): OvsdbAtom | undefined {
  return setAtoms(datum)[0];
}
