// Pure planning for identity: one change per setting that differs (hostname1, timedate1 and locale1 setters),
// and the differences those services cannot make (a time zone to unset, NTP without an NTP service, a locale
// localed will not store) as unresolved items.
import { isDeepStrictEqual } from 'node:util';
import { type Change, changeId, type PluginPlan, type Unresolved } from '../../engine/change.js';
import { toDisplayPath } from '../../state/json-path.js';
import type { CurrentSection } from '../types.js';
import { predictSetLocale, sameVariables } from './locale-call.js';
import type { IdentityConfig, IdentityFacts } from './schema.js';
import {
  describeSettingValue,
  IDENTITY_SETTINGS,
  type IdentityPart,
  type IdentitySetting,
  SERVICE_OF_PART,
  type SettingValue,
  settingValue,
} from './settings.js';

const PLUGIN = 'identity';
const HOSTNAME_RISK_NOTE =
  'services, logs and TLS certificates may use the hostname, and the kernel hostname changes with it';

type Current = CurrentSection<IdentityConfig, IdentityFacts>;

const configPath = (...keys: string[]) => toDisplayPath(['sections', PLUGIN, 'config', ...keys]);

function isUnset(value: SettingValue): boolean {
  if (value === null) return true;
  return typeof value === 'object' && Object.values(value).every((field) => field === null);
}

/** Where a setting is in the section: `hostname.staticHostname`, or `locale.x11-keyboard` for a group of fields. */
export function settingTarget(setting: IdentitySetting): string {
  return `${setting.part}.${setting.fields.length === 1 ? setting.fields[0] : setting.kind}`;
}

function describeChange(setting: IdentitySetting, after: SettingValue): string {
  if (isUnset(after)) return `unset the ${setting.label}`;
  if (typeof after === 'boolean') return `turn ${setting.label} ${after ? 'on' : 'off'}`;
  return `set the ${setting.label} to ${describeSettingValue(after)}`;
}

function settingChange(setting: IdentitySetting, before: SettingValue, after: SettingValue): Change {
  const hostname = setting.kind === 'static-hostname';
  return {
    id: changeId(PLUGIN, setting.kind, settingTarget(setting)),
    plugin: PLUGIN,
    kind: setting.kind,
    action: isUnset(before) ? 'create' : isUnset(after) ? 'delete' : 'update',
    target: settingTarget(setting),
    phase: 'settings',
    description: describeChange(setting, after),
    reason: `it is ${describeSettingValue(before)} here and ${describeSettingValue(after)} in the desired state`,
    risk: hostname ? 'medium' : 'low',
    ...(hostname ? { riskNote: HOSTNAME_RISK_NOTE } : {}),
    ...(before !== null ? { before } : {}),
    ...(after !== null ? { after } : {}),
  };
}

function unresolvedSetting(
  setting: IdentitySetting,
  description: string,
  expected: SettingValue,
  actual: SettingValue,
): Unresolved {
  return {
    plugin: PLUGIN,
    // A setting of several fields (a keyboard) is named by its first.
    path: configPath(setting.part, setting.fields[0] as string),
    description,
    expected,
    actual,
    blocking: false,
  };
}

/** The change or unresolved item for one setting, or nothing when the machine already has it. */
function planSetting(
  setting: IdentitySetting,
  current: Current,
  desired: IdentityConfig,
): Change | Unresolved | undefined {
  const before = settingValue(setting, current.config);
  const after = settingValue(setting, desired);
  if (isDeepStrictEqual(before, after)) return undefined;
  if (after === null && !setting.unsettable) {
    return unresolvedSetting(
      setting,
      `the desired state does not say; ${SERVICE_OF_PART[setting.part]} cannot unset the ${setting.label}, so op-dbus leaves it`,
      after,
      before,
    );
  }
  if (setting.kind === 'ntp' && after === true && current.facts.time.canNtp === false) {
    return unresolvedSetting(
      setting,
      'no NTP service is installed here (timedate1 reports CanNTP=false); install systemd-timesyncd or another, then plan again',
      after,
      before,
    );
  }
  return settingChange(setting, before, after);
}

/** localed decides what the locale file ends up holding: plan what it will store, and say where that falls short. */
function planLocale(
  setting: IdentitySetting,
  current: Current,
  desired: IdentityConfig,
): (Change | Unresolved)[] {
  const before = current.config.locale.variables;
  const wanted = desired.locale.variables;
  if (sameVariables(before, wanted)) return [];
  const held = current.facts.locale.reportedVariables ?? before;
  const { after, shortfall } = predictSetLocale(before, held, wanted);
  const planned: (Change | Unresolved)[] = [];
  if (!sameVariables(after, before)) planned.push(settingChange(setting, before, after));
  if (shortfall) planned.push(unresolvedSetting(setting, shortfall, wanted, after));
  return planned;
}

function isChange(item: Change | Unresolved): item is Change {
  return 'id' in item;
}

export function planIdentityChanges(current: Current, desired: IdentityConfig): PluginPlan {
  const changes: Change[] = [];
  const unresolved: Unresolved[] = [];
  const changedParts = new Set<IdentityPart>();
  for (const setting of IDENTITY_SETTINGS) {
    const planned =
      setting.kind === 'locale'
        ? planLocale(setting, current, desired)
        : [planSetting(setting, current, desired)];
    for (const item of planned) {
      if (item === undefined) continue;
      if (isChange(item)) {
        changes.push(item);
        changedParts.add(setting.part);
      } else unresolved.push(item);
    }
  }
  for (const part of changedParts) {
    if (current.facts.sources[part] !== 'files') continue;
    unresolved.push({
      plugin: PLUGIN,
      path: configPath(part),
      description: `${SERVICE_OF_PART[part]} could not be asked (${current.facts.fallbackReasons[part] ?? 'no bus'}); op-dbus changes these settings only through it`,
      blocking: true,
    });
  }
  return { changes, unresolved };
}
