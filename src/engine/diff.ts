// Comparing the config of two states item by item (a unit's state, a file, a hostname): identical, different,
// only in A or only in B. Facts are observations and never compared.
import { canonicalJson } from '../state/canonical.js';
import { toDisplayPath } from '../state/json-path.js';
import type { MachineState } from '../state/schema.js';
import { compareStrings } from '../util/order.js';

export type ItemStatus = 'identical' | 'different' | 'only-in-a' | 'only-in-b';

export interface ItemDiff {
  section: string;
  /** JSON path of the item inside the section's config (`unitFiles["ssh.service"]`). */
  item: string;
  status: ItemStatus;
  a?: unknown;
  b?: unknown;
}

export interface SectionDiff {
  section: string;
  status: ItemStatus;
  items: ItemDiff[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Items are the config's top-level values, and the entries of those that are objects (records). */
function itemsOf(config: unknown): Map<string, unknown> {
  const items = new Map<string, unknown>();
  if (!isRecord(config)) {
    items.set('$', config);
    return items;
  }
  for (const [key, value] of Object.entries(config)) {
    if (isRecord(value) && Object.keys(value).length > 0) {
      for (const [inner, innerValue] of Object.entries(value))
        items.set(toDisplayPath([key, inner]).replace(/^\$\.?/, ''), innerValue);
    } else {
      items.set(key, value);
    }
  }
  return items;
}

function statusOf(inA: boolean, inB: boolean, same: boolean): ItemStatus {
  if (!inA) return 'only-in-b';
  if (!inB) return 'only-in-a';
  return same ? 'identical' : 'different';
}

export function diffConfigs(section: string, a: unknown, b: unknown): ItemDiff[] {
  const itemsA = itemsOf(a);
  const itemsB = itemsOf(b);
  const names = [...new Set([...itemsA.keys(), ...itemsB.keys()])].sort(compareStrings);
  return names.map((item) => {
    const inA = itemsA.has(item);
    const inB = itemsB.has(item);
    const valueA = itemsA.get(item);
    const valueB = itemsB.get(item);
    const status = statusOf(inA, inB, canonicalJson(valueA) === canonicalJson(valueB));
    return {
      section,
      item,
      status,
      ...(inA && status !== 'identical' ? { a: valueA } : {}),
      ...(inB && status !== 'identical' ? { b: valueB } : {}),
    };
  });
}

/** Every section of either state, with its items; a section only one state has is one item. */
export function diffStates(a: MachineState, b: MachineState): SectionDiff[] {
  const names = [...new Set([...Object.keys(a.sections), ...Object.keys(b.sections)])].sort(compareStrings);
  return names.map((section) => {
    const configA = a.sections[section]?.config;
    const configB = b.sections[section]?.config;
    if (configA === undefined || configB === undefined) {
      const status = configA === undefined ? 'only-in-b' : 'only-in-a';
      return { section, status, items: [{ section, item: '$', status }] };
    }
    const items = diffConfigs(section, configA, configB);
    const same = items.every((item) => item.status === 'identical');
    return { section, status: same ? 'identical' : 'different', items };
  });
}
