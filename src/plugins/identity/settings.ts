// The identity settings op-dbus changes, one entry per D-Bus setter: which config fields it covers, the
// method of hostname1, timedate1 or locale1 that sets them, and the files the service keeps them in (so undo
// can put those back byte for byte). Pure: plan and apply both read this table.
import { setLocaleArguments } from './locale-call.js';
import type { IdentityConfig } from './schema.js';

export type IdentityPart = 'hostname' | 'time' | 'locale';

export const SERVICE_OF_PART: Record<IdentityPart, string> = {
  hostname: 'org.freedesktop.hostname1',
  time: 'org.freedesktop.timedate1',
  locale: 'org.freedesktop.locale1',
};

/** What a setting holds: one field's value, or several fields set together (keyboard), or the locale variables. */
export type SettingValue = string | boolean | null | Record<string, string | null>;

export interface IdentitySetting {
  /** Change kind, e.g. `static-hostname`. */
  kind: string;
  part: IdentityPart;
  /** Config fields under the part that this one call sets. */
  fields: readonly string[];
  /** How a person calls it, for descriptions and errors. */
  label: string;
  member: string;
  signature: string;
  /**
   * False for settings the service cannot unset (time zone, NTP, RTC mode): a null desired value leaves the
   * machine's value alone. Unsettable strings are unset with an empty string.
   */
  unsettable: boolean;
  /** Files the service writes for this setting. */
  files: readonly string[];
}

const MACHINE_INFO = ['/etc/machine-info'];
// Debian's localed reads and writes /etc/default/keyboard; systemd ≥ 253 keeps X11 settings in vconsole.conf;
// upstream before that writes the X11 snippet.
const KEYBOARD_FILES = [
  '/etc/vconsole.conf',
  '/etc/default/keyboard',
  '/etc/X11/xorg.conf.d/00-keyboard.conf',
];

function hostnameSetting(
  kind: string,
  field: string,
  label: string,
  member: string,
  files: readonly string[],
) {
  return {
    kind,
    part: 'hostname',
    fields: [field],
    label,
    member,
    signature: 'sb',
    unsettable: true,
    files,
  } as const;
}

export const IDENTITY_SETTINGS: readonly IdentitySetting[] = [
  hostnameSetting('static-hostname', 'staticHostname', 'static hostname', 'SetStaticHostname', [
    '/etc/hostname',
  ]),
  hostnameSetting('pretty-hostname', 'prettyHostname', 'pretty hostname', 'SetPrettyHostname', MACHINE_INFO),
  hostnameSetting('chassis', 'chassis', 'chassis type', 'SetChassis', MACHINE_INFO),
  hostnameSetting('deployment', 'deployment', 'deployment', 'SetDeployment', MACHINE_INFO),
  hostnameSetting('location', 'location', 'location', 'SetLocation', MACHINE_INFO),
  hostnameSetting('icon-name', 'iconName', 'icon name', 'SetIconName', MACHINE_INFO),
  {
    kind: 'timezone',
    part: 'time',
    fields: ['timezone'],
    label: 'time zone',
    member: 'SetTimezone',
    signature: 'sb',
    unsettable: false,
    files: ['/etc/localtime', '/etc/timezone'],
  },
  {
    kind: 'ntp',
    part: 'time',
    fields: ['ntp'],
    label: 'network time synchronisation',
    member: 'SetNTP',
    signature: 'bb',
    unsettable: false,
    files: [],
  },
  {
    kind: 'local-rtc',
    part: 'time',
    fields: ['localRtc'],
    label: 'hardware clock in local time',
    member: 'SetLocalRTC',
    signature: 'bbb',
    unsettable: false,
    files: ['/etc/adjtime'],
  },
  {
    kind: 'locale',
    part: 'locale',
    fields: ['variables'],
    label: 'system locale',
    member: 'SetLocale',
    signature: 'asb',
    unsettable: true,
    files: ['/etc/locale.conf', '/etc/default/locale'],
  },
  {
    kind: 'vconsole-keyboard',
    part: 'locale',
    fields: ['vconsoleKeymap', 'vconsoleKeymapToggle'],
    label: 'console keymap',
    member: 'SetVConsoleKeyboard',
    signature: 'ssbb',
    unsettable: true,
    files: KEYBOARD_FILES,
  },
  {
    kind: 'x11-keyboard',
    part: 'locale',
    fields: ['x11Layout', 'x11Model', 'x11Variant', 'x11Options'],
    label: 'X11 keyboard',
    member: 'SetX11Keyboard',
    signature: 'ssssbb',
    unsettable: true,
    files: KEYBOARD_FILES,
  },
];

export function settingOfKind(kind: string): IdentitySetting {
  const setting = IDENTITY_SETTINGS.find((candidate) => candidate.kind === kind);
  if (!setting) throw new Error(`identity has no setting of kind ${kind}`);
  return setting;
}

/** The setting's value in `config`: the field itself, or an object of its fields when it sets several. */
export function settingValue(setting: IdentitySetting, config: IdentityConfig): SettingValue {
  const part = config[setting.part] as Record<string, SettingValue>;
  if (setting.fields.length === 1) return part[setting.fields[0] as string] ?? null;
  return Object.fromEntries(setting.fields.map((field) => [field, (part[field] as string | null) ?? null]));
}

export interface SetterCall {
  service: string;
  path: string;
  iface: string;
  member: string;
  signature: string;
  args: unknown[];
}

/**
 * The call that gives `setting` the value `value`, or undefined when there is nothing the service can be told
 * (a null time zone, an empty locale). Never interactive: op-dbus runs as root and must not wait for polkit
 * agents; never converting between console and X11 keymaps, which would change the other setting too.
 */
export function setterCall(setting: IdentitySetting, value: SettingValue): SetterCall | undefined {
  const service = SERVICE_OF_PART[setting.part];
  const call = (args: unknown[]) => ({
    service,
    path: `/${service.replaceAll('.', '/')}`,
    iface: service,
    member: setting.member,
    signature: setting.signature,
    args,
  });
  if (setting.kind === 'locale') {
    const assignments = setLocaleArguments((value ?? {}) as Record<string, string>);
    return assignments.length === 0 ? undefined : call([assignments, false]);
  }
  if (setting.fields.length > 1) {
    const fields = value as Record<string, string | null>;
    return call([...setting.fields.map((field) => fields[field] ?? ''), false, false]);
  }
  if (value === null) return setting.unsettable ? call(['', false]) : undefined;
  // SetLocalRTC(local, fix_system, interactive): fix_system=false keeps the system clock and rewrites the RTC.
  if (setting.kind === 'local-rtc') return call([value, false, false]);
  return call([value, false]);
}

/** A value as the person reading a plan or an error sees it. */
export function describeSettingValue(value: SettingValue): string {
  if (value === null) return 'unset';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'string') return JSON.stringify(value);
  const entries = Object.entries(value).filter(([, text]) => text !== null && text !== '');
  return entries.length === 0 ? 'unset' : entries.map(([name, text]) => `${name}=${text}`).join(' ');
}
