// What differs between two Open vSwitch configurations, item by item (pure): bridges, ports and interfaces to
// create or delete, and the settings of each one to change — the plan's listing and the transaction's recipe.
import { isDeepStrictEqual } from 'node:util';
import { compareStrings } from '../util/order.js';
import type { VswitchBridge, VswitchConfig, VswitchInterface, VswitchPort } from './vswitch-model.js';

export type VswitchItemKind = 'bridge' | 'port' | 'interface';

export interface SettingChange {
  /** The model's name of the setting (tag, options, controllers …). */
  setting: string;
  before: unknown;
  after: unknown;
}

/**
 * One item to create, delete or update. `path` is [bridge], [bridge, port] or [bridge, port, interface]; a created
 * or deleted item carries its children with it (a new bridge brings its ports), so they are not listed again.
 */
export type VswitchDifference =
  | { action: 'create'; kind: VswitchItemKind; path: string[] }
  | { action: 'delete'; kind: VswitchItemKind; path: string[] }
  | { action: 'update'; kind: VswitchItemKind; path: string[]; settings: SettingChange[] };

function unionOfKeys(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareStrings);
}

function settingChanges<Item extends object>(
  before: Item,
  after: Item,
  children: keyof Item | undefined,
): SettingChange[] {
  const changes: SettingChange[] = [];
  for (const setting of unionOfKeys(before, after)) {
    if (setting === children) continue;
    const was = before[setting as keyof Item];
    const wanted = after[setting as keyof Item];
    if (!isDeepStrictEqual(was, wanted)) changes.push({ setting, before: was, after: wanted });
  }
  return changes;
}

/** Creates, deletes and updates of one level, then those of each kept item's children. */
function diffLevel<Item extends object>(
  kind: VswitchItemKind,
  parent: string[],
  before: Record<string, Item>,
  after: Record<string, Item>,
  children: keyof Item | undefined,
  diffChildren: (path: string[], before: Item, after: Item) => VswitchDifference[],
): VswitchDifference[] {
  const differences: VswitchDifference[] = [];
  for (const name of unionOfKeys(before, after)) {
    const path = [...parent, name];
    const was = before[name];
    const wanted = after[name];
    if (!was) differences.push({ action: 'create', kind, path });
    else if (!wanted) differences.push({ action: 'delete', kind, path });
    else {
      const settings = settingChanges(was, wanted, children);
      if (settings.length > 0) differences.push({ action: 'update', kind, path, settings });
      differences.push(...diffChildren(path, was, wanted));
    }
  }
  return differences;
}

const noChildren = (): VswitchDifference[] => [];

function diffPorts(path: string[], before: VswitchBridge, after: VswitchBridge): VswitchDifference[] {
  return diffLevel<VswitchPort>(
    'port',
    path,
    before.ports,
    after.ports,
    'interfaces',
    (portPath, was, wanted) =>
      diffLevel<VswitchInterface>(
        'interface',
        portPath,
        was.interfaces,
        wanted.interfaces,
        undefined,
        noChildren,
      ),
  );
}

export function diffVswitch(current: VswitchConfig, desired: VswitchConfig): VswitchDifference[] {
  return diffLevel<VswitchBridge>('bridge', [], current.bridges, desired.bridges, 'ports', diffPorts);
}
