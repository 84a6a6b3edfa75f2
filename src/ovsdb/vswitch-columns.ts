// How each modelled bridge, port and interface setting maps to its OVSDB column, in both directions: one table
// the reader, the operation builders and the diff share, so a setting is named and encoded in one place.
import { compareStrings, sortedRecord } from '../util/order.js';
import {
  mapEntries,
  type OvsdbDatum,
  type OvsdbRow,
  optionalAtom,
  ovsMap,
  ovsSet,
  setAtoms,
} from './datum.js';
import type { FailMode, VswitchBridge, VswitchInterface, VswitchPort } from './vswitch-model.js';

export interface ColumnCodec<Value> {
  column: string;
  decode(datum: unknown): Value;
  encode(value: Value): OvsdbDatum;
}

type Codecs<Settings> = { [Key in keyof Settings]: ColumnCodec<Settings[Key]> };

export type BridgeSettings = Omit<VswitchBridge, 'ports' | 'controllers'>;
export type PortSettings = Omit<VswitchPort, 'interfaces'>;
export type InterfaceSettings = VswitchInterface;

const text = (column: string): ColumnCodec<string> => ({
  column,
  decode: (datum) => (typeof datum === 'string' ? datum : ''),
  encode: (value) => value,
});

const flag = (column: string): ColumnCodec<boolean> => ({
  column,
  decode: (datum) => datum === true,
  encode: (value) => value,
});

/** A 0..1 column: the empty set is null. */
function optional<Value extends string | number>(
  column: string,
  kind: 'string' | 'number',
): ColumnCodec<Value | null> {
  return {
    column,
    decode: (datum) => {
      const atom = optionalAtom(datum);
      return typeof atom === kind ? (atom as Value) : null;
    },
    encode: (value) => ovsSet(value === null ? [] : [value]),
  };
}

const textSet = (column: string): ColumnCodec<string[]> => ({
  column,
  decode: (datum) =>
    setAtoms(datum)
      .filter((atom): atom is string => typeof atom === 'string')
      .sort(compareStrings),
  encode: (value) => ['set', [...value]],
});

const integerSet = (column: string): ColumnCodec<number[]> => ({
  column,
  decode: (datum) =>
    setAtoms(datum)
      .filter((atom): atom is number => typeof atom === 'number')
      .sort((a, b) => a - b),
  encode: (value) => ['set', [...value]],
});

const textMap = (column: string): ColumnCodec<Record<string, string>> => ({
  column,
  decode: (datum) => sortedRecord(Object.entries(mapEntries(datum))),
  encode: (value) => ovsMap(value),
});

export const BRIDGE_COLUMNS: Codecs<BridgeSettings> = {
  datapathType: text('datapath_type'),
  failMode: optional<FailMode>('fail_mode', 'string'),
  protocols: textSet('protocols'),
  stpEnable: flag('stp_enable'),
  rstpEnable: flag('rstp_enable'),
  mcastSnoopingEnable: flag('mcast_snooping_enable'),
  otherConfig: textMap('other_config'),
  externalIds: textMap('external_ids'),
};

export const PORT_COLUMNS: Codecs<PortSettings> = {
  tag: optional<number>('tag', 'number'),
  trunks: integerSet('trunks'),
  vlanMode: optional<NonNullable<VswitchPort['vlanMode']>>('vlan_mode', 'string'),
  bondMode: optional<NonNullable<VswitchPort['bondMode']>>('bond_mode', 'string'),
  lacp: optional<NonNullable<VswitchPort['lacp']>>('lacp', 'string'),
  otherConfig: textMap('other_config'),
  externalIds: textMap('external_ids'),
};

export const INTERFACE_COLUMNS: Codecs<InterfaceSettings> = {
  type: text('type'),
  options: textMap('options'),
  externalIds: textMap('external_ids'),
  mtuRequest: optional<number>('mtu_request', 'number'),
};

export function decodeColumns<Settings>(codecs: Codecs<Settings>, row: OvsdbRow): Settings {
  const entries = Object.entries(codecs).map(([key, codec]) => [
    key,
    (codec as ColumnCodec<unknown>).decode(row[(codec as ColumnCodec<unknown>).column]),
  ]);
  return Object.fromEntries(entries) as Settings;
}

/** The row for the settings given (all of them for an insert, the changed ones for an update). */
export function encodeColumns<Settings>(codecs: Codecs<Settings>, settings: Partial<Settings>): OvsdbRow {
  const row: OvsdbRow = {};
  for (const [key, value] of Object.entries(settings)) {
    const codec = codecs[key as keyof Settings] as ColumnCodec<unknown> | undefined;
    if (codec) row[codec.column] = codec.encode(value);
  }
  return row;
}

export function columnNames<Settings>(codecs: Codecs<Settings>): string[] {
  return Object.values(codecs).map((codec) => (codec as ColumnCodec<unknown>).column);
}
