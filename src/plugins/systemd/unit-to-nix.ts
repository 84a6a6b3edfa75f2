// One admin service unit (a unit file and its drop-ins under /etc/systemd/system) as the attribute set of a
// NixOS `systemd.services.<name>`: description, dependencies, unitConfig, serviceConfig and install targets.
import type { NixValue, NotExported } from '../../export/nix/contribution.js';
import { assignedValues, listValue, type ParsedUnitFile } from './parse-unit-file.js';

/** [Unit] keys that NixOS has a list option of its own for; `systemd.services.<name>.<option>`. */
const UNIT_LIST_OPTIONS: Readonly<Record<string, string>> = {
  After: 'after',
  Before: 'before',
  Wants: 'wants',
  Requires: 'requires',
  BindsTo: 'bindsTo',
  PartOf: 'partOf',
  Conflicts: 'conflicts',
  Requisite: 'requisite',
};
const INSTALL_LIST_OPTIONS: Readonly<Record<string, string>> = {
  WantedBy: 'wantedBy',
  RequiredBy: 'requiredBy',
};

export interface ServiceTranslation {
  service: Record<string, NixValue>;
  unmapped: NotExported[];
}

/** Every key of a section in first-seen order, each with its values in order (one value, or a list). */
function sectionSettings(file: ParsedUnitFile, section: string, skip: ReadonlySet<string>) {
  const keys = new Set(
    file.sections.filter((s) => s.name === section).flatMap((s) => s.assignments.map((a) => a.key)),
  );
  // fromEntries, not assignment: a key such as __proto__ stays an ordinary setting.
  return Object.fromEntries(
    [...keys]
      .filter((key) => !skip.has(key))
      .map((key): [string, NixValue] => {
        const values = assignedValues(file, section, key);
        return [key, values.length === 1 ? (values[0] as string) : values];
      }),
  );
}

/**
 * Translates a merged unit. `enabled` says whether the unit-file state is enabled: NixOS installs every unit
 * with wantedBy, so a disabled unit's install targets are left out (and listed).
 */
export function serviceUnitToNix(
  file: ParsedUnitFile,
  itemPath: string,
  enabled: boolean,
): ServiceTranslation {
  const unmapped: NotExported[] = [];
  const service: Record<string, NixValue> = {};
  const description = assignedValues(file, 'Unit', 'Description').at(-1);
  if (description !== undefined) service.description = description;
  for (const [key, option] of Object.entries(UNIT_LIST_OPTIONS)) {
    const words = listValue(file, 'Unit', key);
    if (words.length > 0) service[option] = words;
  }
  const unitConfig = sectionSettings(
    file,
    'Unit',
    new Set(['Description', ...Object.keys(UNIT_LIST_OPTIONS)]),
  );
  if (Object.keys(unitConfig).length > 0) service.unitConfig = unitConfig;
  const serviceConfig = sectionSettings(file, 'Service', new Set());
  if (Object.keys(serviceConfig).length > 0) service.serviceConfig = serviceConfig;
  for (const [key, option] of Object.entries(INSTALL_LIST_OPTIONS)) {
    const words = listValue(file, 'Install', key);
    if (words.length === 0) continue;
    if (enabled) service[option] = words;
    else
      unmapped.push({
        item: `${itemPath} [Install] ${key}`,
        reason: 'the unit is not enabled, and NixOS would install every unit it names in wantedBy/requiredBy',
      });
  }
  const installRest = sectionSettings(file, 'Install', new Set(Object.keys(INSTALL_LIST_OPTIONS)));
  for (const key of Object.keys(installRest))
    unmapped.push({
      item: `${itemPath} [Install] ${key}`,
      reason: 'NixOS systemd.services has no option for it',
    });
  const otherSections = new Set(
    file.sections.map((s) => s.name).filter((name) => !['Unit', 'Service', 'Install'].includes(name)),
  );
  for (const name of otherSections)
    unmapped.push({ item: `${itemPath} [${name}]`, reason: 'not a section of a service unit NixOS writes' });
  return { service, unmapped };
}
