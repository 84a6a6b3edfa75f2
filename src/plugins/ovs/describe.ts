// One line per difference for the plan's listing: `+ bridge br0`, `~ port br0/eth1 tag 10 → 20`, `- port br1/old`.

import { ACTION_SYMBOL } from '../../engine/change.js';
import type { SettingChange, VswitchDifference } from '../../ovsdb/vswitch-diff.js';

/** How a setting's value reads in a listing: maps as {k=v}, sets as [a, b], nothing as "unset". */
export function describeSettingValue(value: unknown): string {
  if (value === null || value === undefined) return 'unset';
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([key, entry]) => `${key}=${entry}`)
      .join(', ')}}`;
  if (value === '') return '""';
  return String(value);
}

function describeSetting(change: SettingChange): string {
  return `${change.setting} ${describeSettingValue(change.before)} → ${describeSettingValue(change.after)}`;
}

export function describeDifference(difference: VswitchDifference): string {
  const item = `${ACTION_SYMBOL[difference.action]} ${difference.kind} ${difference.path.join('/')}`;
  if (difference.action !== 'update') return item;
  return `${item} ${difference.settings.map(describeSetting).join(', ')}`;
}
