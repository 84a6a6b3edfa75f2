// Reads the [Install] section of a unit file and its drop-ins the way systemd's install logic does
// (systemctl enable / is-enabled): the only part of a unit file that decides its unit-file state.

import { isValidUnitName, parseUnitName, unitTypeMayAlias } from '../shared/unit-name.js';
import {
  assignedValues,
  listValue,
  mergeUnitFiles,
  type ParsedUnitFile,
  splitUnitWords,
} from './parse-unit-file.js';

export interface InstallSection {
  aliases: string[];
  wantedBy: string[];
  requiredBy: string[];
  upheldBy: string[];
  also: string[];
  defaultInstance: string | undefined;
}

export type InstallSectionResult = { ok: true; install: InstallSection } | { ok: false; reason: string };

const SPECIFIER = '%';

/** The [Install] settings of `unitName`, from its file followed by its drop-ins, in the order systemd loads them. */
export function readInstallSection(unitName: string, files: readonly ParsedUnitFile[]): InstallSectionResult {
  const parsed = parseUnitName(unitName);
  if (!parsed) return { ok: false, reason: `invalid unit name ${unitName}` };
  const merged = mergeUnitFiles(files);
  const fatal = merged.problems.find((problem) => problem.fatal);
  if (fatal) return { ok: false, reason: `line ${fatal.line}: ${fatal.message}` };

  // systemd ignores Alias= for unit types that cannot have aliases (mounts, slices …).
  const aliases = unitTypeMayAlias(parsed.type) ? listValue(merged, 'Install', 'Alias') : [];
  // Also= is not a reset-able list in systemd: an empty assignment adds nothing.
  const also = assignedValues(merged, 'Install', 'Also').flatMap(splitUnitWords);
  const withSpecifier = [...aliases, ...also].find((word) => word.includes(SPECIFIER));
  if (withSpecifier)
    return { ok: false, reason: `specifier in ${JSON.stringify(withSpecifier)} needs systemd to expand it` };
  const invalidAlso = also.find((word) => !isValidUnitName(word));
  if (invalidAlso) return { ok: false, reason: `Also= names an invalid unit ${JSON.stringify(invalidAlso)}` };

  const defaultInstance =
    parsed.kind === 'template' ? readDefaultInstance(merged) : { ok: true as const, value: undefined };
  if (!defaultInstance.ok) return defaultInstance;
  return {
    ok: true,
    install: {
      aliases,
      wantedBy: listValue(merged, 'Install', 'WantedBy'),
      requiredBy: listValue(merged, 'Install', 'RequiredBy'),
      upheldBy: listValue(merged, 'Install', 'UpheldBy'),
      also,
      defaultInstance: defaultInstance.value,
    },
  };
}

function readDefaultInstance(
  file: ParsedUnitFile,
): { ok: true; value: string | undefined } | { ok: false; reason: string } {
  const value = assignedValues(file, 'Install', 'DefaultInstance').at(-1);
  if (value === undefined || value === '') return { ok: true, value: undefined };
  if (value.includes(SPECIFIER))
    return { ok: false, reason: `specifier in DefaultInstance=${value} needs systemd to expand it` };
  if (!isValidUnitName(`x@${value}.service`, ['instance']))
    return { ok: false, reason: `invalid DefaultInstance=${value}` };
  return { ok: true, value };
}

/** Whether enabling the unit would create symlinks (systemd's install_info_has_rules). */
export function hasInstallRules(install: InstallSection): boolean {
  return (
    install.aliases.length + install.wantedBy.length + install.requiredBy.length + install.upheldBy.length > 0
  );
}
