// The systemd section as NixOS options: services.<name>.enable (and similar) for units NixOS has a module
// for, systemd.services.<name> for admin service units, and systemd.defaultUnit.

import type { NixContribution, NixOption, NotExported } from '../../export/nix/contribution.js';
import { enableFlagOf, SERVICE_MODULES, SET_BY_OTHER_SECTIONS } from '../../export/nix/service-modules.js';
import { REDACTED } from '../../state/redact.js';
import { compareStrings } from '../../util/order.js';
import { ADMIN_UNIT_DIR } from './admin-files.js';
import { mergeUnitFiles, parseUnitFile } from './parse-unit-file.js';
import type { SystemdConfig } from './schema.js';
import { serviceUnitToNix } from './unit-to-nix.js';

const SERVICE_SUFFIX = '.service';

function filesItem(path: string): string {
  return `$.sections.systemd.config.files[${JSON.stringify(path)}]`;
}

/** The admin files grouped by unit: the unit file (if any) and its drop-ins in name order. */
function groupByUnit(files: SystemdConfig['files']) {
  const units = new Map<string, { main?: string; dropIns: string[] }>();
  for (const path of Object.keys(files).sort(compareStrings)) {
    const relative = path.slice(ADMIN_UNIT_DIR.length + 1);
    const dropIn = /^(.+)\.d\/[^/]+$/.exec(relative);
    const unit = dropIn ? (dropIn[1] as string) : relative;
    const entry = units.get(unit) ?? { dropIns: [] };
    if (dropIn) entry.dropIns.push(path);
    else entry.main = path;
    units.set(unit, entry);
  }
  return units;
}

function adminUnitOptions(config: SystemdConfig, unmapped: NotExported[]): NixOption[] {
  const options: NixOption[] = [];
  for (const [unit, { main, dropIns }] of groupByUnit(config.files)) {
    const paths = main ? [main, ...dropIns] : dropIns;
    const refuse = (reason: string) =>
      unmapped.push(...paths.map((path) => ({ item: filesItem(path), reason })));
    if (!unit.endsWith(SERVICE_SUFFIX)) {
      refuse('only service units are translated (systemd.services); other unit types are left out');
      continue;
    }
    if (!main) {
      refuse(
        'a drop-in for a unit NixOS would provide itself: systemd.services.<name> would define a new unit instead',
      );
      continue;
    }
    const contents: string[] = [];
    for (const path of paths) {
      const file = config.files[path];
      if (file && 'content' in file) contents.push(file.content);
    }
    if (contents.length !== paths.length) {
      refuse('a symlink to a unit file outside the unit directories cannot be translated');
      continue;
    }
    if (contents.some((content) => content.includes(REDACTED))) {
      refuse('the capture withheld a secret in it');
      continue;
    }
    const parsed = contents.map(parseUnitFile);
    const fatal = parsed.flatMap((file) => file.problems).filter((problem) => problem.fatal);
    if (fatal.length > 0) {
      refuse(
        `systemd would reject it: ${fatal.map((problem) => `line ${problem.line}: ${problem.message}`).join('; ')}`,
      );
      continue;
    }
    const { service, unmapped: left } = serviceUnitToNix(
      mergeUnitFiles(parsed),
      filesItem(main),
      config.unitFiles[unit] === 'enabled',
    );
    unmapped.push(...left);
    options.push({
      path: ['systemd', 'services', unit.slice(0, -SERVICE_SUFFIX.length)],
      value: service,
      comment: `from ${paths.join(', ')}`,
    });
  }
  return options;
}

/** services.<name>.enable for units in the mapping table; others with an admin choice are listed. */
function enableOptions(config: SystemdConfig, unmapped: NotExported[]): NixOption[] {
  const flags = new Map<string, { path: readonly string[]; value: boolean; units: string[] }>();
  for (const [unit, state] of Object.entries(config.unitFiles)) {
    const value = enableFlagOf(state);
    if (value === undefined) continue;
    const path = SERVICE_MODULES[unit];
    if (!path) {
      if (!(`${ADMIN_UNIT_DIR}/${unit}` in config.files))
        unmapped.push({
          item: `$.sections.systemd.config.unitFiles[${JSON.stringify(unit)}]`,
          reason: `${state}: ${SET_BY_OTHER_SECTIONS[unit] ?? 'the mapping table has no NixOS option for this unit'}`,
        });
      continue;
    }
    const key = JSON.stringify(path);
    const flag = flags.get(key) ?? { path, value, units: [] };
    if (flag.value !== value) flag.value = true;
    flag.units.push(`${unit} ${state}`);
    flags.set(key, flag);
  }
  return [...flags.values()].map((flag) => ({
    path: [...flag.path],
    value: flag.value,
    comment: flag.units.join(', '),
  }));
}

export function systemdToNix(config: SystemdConfig): NixContribution {
  const unmapped: NotExported[] = [];
  const options = [...enableOptions(config, unmapped), ...adminUnitOptions(config, unmapped)];
  if (config.defaultTarget !== null)
    options.push({ path: ['systemd', 'defaultUnit'], value: config.defaultTarget });
  if (Object.keys(config.activeState).length > 0)
    unmapped.push({
      item: '$.sections.systemd.config.activeState',
      reason: 'whether a unit runs now is not configuration in NixOS: units start as their wantedBy says',
    });
  return { options, unmapped };
}
