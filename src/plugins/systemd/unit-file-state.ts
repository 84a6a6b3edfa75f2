// Derives every unit file's state (enabled, static, masked, alias …) from a snapshot of the unit directories,
// following systemd's own rules (unit_file_lookup_state() in src/shared/install.c), so discovery need not
// wait ~0.4 s for the manager's ListUnitFiles. Pure: works on a UnitTree.
import { posix } from 'node:path';
import { isValidUnitName, parseUnitName, templateOf, withInstance } from '../shared/unit-name.js';
import { hasInstallRules, type InstallSection } from './install-section.js';
import { type ResolvedUnitFile, resolveUnitFile } from './resolve-unit-file.js';
import { absoluteLinkTarget, entriesOfKind, isPathUnder, lookupTree, type UnitTree } from './unit-tree.js';

export const UNIT_FILE_STATES = [
  'enabled',
  'enabled-runtime',
  'linked',
  'linked-runtime',
  'alias',
  'masked',
  'masked-runtime',
  'static',
  'disabled',
  'indirect',
  'generated',
  'transient',
  'bad',
] as const;
export type UnitFileState = (typeof UNIT_FILE_STATES)[number];

/** The system unit search path of systemd (systemd-analyze unit-paths), highest priority first. */
export const DEFAULT_SYSTEM_UNIT_PATH: readonly string[] = [
  '/etc/systemd/system.control',
  '/run/systemd/system.control',
  '/run/systemd/transient',
  '/run/systemd/generator.early',
  '/etc/systemd/system',
  '/etc/systemd/system.attached',
  '/run/systemd/system',
  '/run/systemd/system.attached',
  '/run/systemd/generator',
  '/usr/local/lib/systemd/system',
  '/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/run/systemd/generator.late',
];

/**
 * systemd releases the derivation was checked against, state by state, by the integration suite comparing it
 * with the manager's own ListUnitFiles (test/integration/systemd-unit-file-state.test.ts). systemd's install
 * rules change between releases (UpheldBy= came with 254), so on any other release the manager is asked.
 */
export const DERIVATION_TESTED_SYSTEMD_VERSIONS: ReadonlySet<number> = new Set([252]);

/** The release number of Manager.Version (`252.39-1~deb12u2` → 252), undefined when it has none. */
export function systemdMajorVersion(version: string): number | undefined {
  const major = /^(\d+)/.exec(version)?.[1];
  return major === undefined ? undefined : Number(major);
}

/** Whether the derivation may stand in for ListUnitFiles on a manager reporting this Manager.Version. */
export function isDerivationTestedOn(version: string | null): boolean {
  const major = version === null ? undefined : systemdMajorVersion(version);
  return major !== undefined && DERIVATION_TESTED_SYSTEMD_VERSIONS.has(major);
}

const PERSISTENT_CONFIG = '/etc/systemd/system';
const TRANSIENT = '/run/systemd/transient';
const GENERATOR_DIRS: ReadonlySet<string> = new Set([
  '/run/systemd/generator.early',
  '/run/systemd/generator',
  '/run/systemd/generator.late',
]);
const DEPENDENCY_DIR_SUFFIXES: ReadonlySet<string> = new Set(['.wants', '.requires', '.upholds']);

export interface UnitFileStates {
  /** Unit name → state, for every unit file in the search path (what ListUnitFiles lists). */
  states: Map<string, UnitFileState>;
  /** Unit names whose state this code cannot derive, with the reason; systemd must be asked about them. */
  unclassified: Map<string, string>;
}

/** Unit files as ListUnitFiles lists them: valid names of files or symlinks, the first directory winning. */
export function listUnitFiles(tree: UnitTree): Map<string, string> {
  const found = new Map<string, string>();
  for (const dir of tree.searchPath) {
    for (const kind of ['file', 'symlink'] as const) {
      for (const name of entriesOfKind(tree, dir, kind)) {
        if (name.startsWith('.') || found.has(name) || !isValidUnitName(name)) continue;
        found.set(name, posix.join(dir, name));
      }
    }
  }
  return found;
}

export function deriveUnitFileStates(tree: UnitTree): UnitFileStates {
  const states = new Map<string, UnitFileState>();
  const unclassified = new Map<string, string>();
  const links = indexDirLinks(tree);
  for (const name of listUnitFiles(tree).keys()) {
    const resolved = resolveUnitFile(tree, name);
    const state =
      resolved.kind === 'unclassified'
        ? { unclassified: resolved.reason }
        : stateOf(tree, links, name, resolved);
    if (typeof state === 'string') states.set(name, state);
    else unclassified.set(name, state.unclassified);
  }
  return { states, unclassified };
}

function isRuntimePath(path: string): boolean {
  return isPathUnder(path, '/run');
}

function stateOf(
  tree: UnitTree,
  links: ReadonlyMap<string, DirLinks>,
  name: string,
  resolved: Exclude<ResolvedUnitFile, { kind: 'unclassified' }>,
): UnitFileState | { unclassified: string } {
  if (resolved.kind === 'masked') return isRuntimePath(resolved.path) ? 'masked-runtime' : 'masked';
  const dir = posix.dirname(resolved.path);
  if (name !== posix.basename(resolved.path) && parseUnitName(resolved.name)?.kind !== 'instance')
    return 'alias';
  if (GENERATOR_DIRS.has(dir)) return 'generated';
  if (dir === TRANSIENT) return 'transient';
  const unit: FoundUnit = resolved;
  // Upholds enablement came with systemd 254 ([Install] UpheldBy=, .upholds/ links): only the manager knows
  // whether it counts them.
  if (resolved.install.upheldBy.length > 0) return { unclassified: 'UpheldBy= counts only on newer systemd' };
  if ([...links.values()].some((dirLinks) => dirLinks.upholdsLinks.has(unit.name))) {
    return { unclassified: 'linked from an .upholds directory, which counts only on newer systemd' };
  }
  // First: is it enabled under one of the names its [Install] section would create?
  const byInstall = findSymlinksInScope(tree, links, unit, true);
  if (byInstall) return byInstall;
  // Then: is it pulled in under any other name? That is "indirect".
  if (findSymlinksInScope(tree, links, unit, false)) return 'indirect';
  if (hasInstallRules(resolved.install)) return 'disabled';
  return resolved.install.also.length > 0 ? 'indirect' : 'static';
}

interface FoundUnit {
  name: string;
  path: string;
  install: InstallSection;
}

function findSymlinksInScope(
  tree: UnitTree,
  links: ReadonlyMap<string, DirLinks>,
  unit: FoundUnit,
  matchName: boolean,
): UnitFileState | undefined {
  let sameNameLinkConfig = false;
  let sameNameLinkRuntime = false;
  let enabledInRuntime = false;
  let enabledAtAll = false;
  // Same-name symlinks in directories below the unit file's own are shadowed by it and do not count.
  let ignoreSameName = false;
  for (const dir of tree.searchPath) {
    const found = findSymlinks(links.get(dir) as DirLinks, unit, matchName, ignoreSameName);
    if (found === 'enabled') {
      if (dir === PERSISTENT_CONFIG) return 'enabled';
      if (isRuntimePath(dir)) enabledInRuntime = true;
      else enabledAtAll = true;
    } else if (found === 'same-name-link') {
      if (dir === PERSISTENT_CONFIG) sameNameLinkConfig = true;
      else if (isRuntimePath(dir)) sameNameLinkRuntime = true;
    }
    if (isPathUnder(unit.path, dir)) ignoreSameName = true;
  }
  if (enabledInRuntime) return 'enabled-runtime';
  // An instance symlinked from a vendor directory is enabled by the vendor: systemd calls that static.
  if (enabledAtAll && parseUnitName(unit.name)?.kind === 'instance') return 'static';
  if (sameNameLinkConfig) return 'linked';
  if (sameNameLinkRuntime) return 'linked-runtime';
  return undefined;
}

/** The symlinks of one search directory, indexed for findSymlinks (systemd rescans the directory per unit). */
interface DirLinks {
  /** Names of the symlinks in its .wants/.requires directories. */
  dependencyLinks: Set<string>;
  /** Names of the symlinks in its .upholds directories, and the templates of instances among them. */
  upholdsLinks: Set<string>;
  /** The same, instances only, by their template's name. */
  dependencyInstancesByTemplate: Map<string, string[]>;
  /** Top-level symlink name → file name of its target. */
  targetNameByLink: Map<string, string>;
  /** Top-level symlink names by the file name of their target. */
  linksByTargetName: Map<string, string[]>;
}

function pushTo(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function indexDirLinks(tree: UnitTree): Map<string, DirLinks> {
  const index = new Map<string, DirLinks>();
  for (const dir of tree.searchPath) {
    const links: DirLinks = {
      dependencyLinks: new Set(),
      upholdsLinks: new Set(),
      dependencyInstancesByTemplate: new Map(),
      targetNameByLink: new Map(),
      linksByTargetName: new Map(),
    };
    for (const subdir of entriesOfKind(tree, dir, 'directory')) {
      const suffix = posix.extname(subdir);
      if (!DEPENDENCY_DIR_SUFFIXES.has(suffix)) continue;
      for (const link of entriesOfKind(tree, posix.join(dir, subdir), 'symlink')) {
        const template = templateOf(link);
        if (suffix === '.upholds') {
          links.upholdsLinks.add(template ?? link);
          links.upholdsLinks.add(link);
          continue;
        }
        links.dependencyLinks.add(link);
        if (template) pushTo(links.dependencyInstancesByTemplate, template, link);
      }
    }
    for (const link of entriesOfKind(tree, dir, 'symlink')) {
      const linkPath = posix.join(dir, link);
      const node = lookupTree(tree, linkPath);
      if (node.kind !== 'symlink') continue;
      const targetName = posix.basename(absoluteLinkTarget(linkPath, node.target));
      links.targetNameByLink.set(link, targetName);
      pushTo(links.linksByTargetName, targetName, link);
    }
    index.set(dir, links);
  }
  return index;
}

/** Symlinks to the unit in one search directory: first in its .wants/.requires/.upholds dirs, then at top level. */
function findSymlinks(
  links: DirLinks,
  unit: FoundUnit,
  matchName: boolean,
  ignoreSameName: boolean,
): 'enabled' | 'same-name-link' | undefined {
  // In dependency directories only the link's own name counts (an instance counts for its template), not its target.
  if (links.dependencyLinks.has(unit.name)) return 'enabled';
  for (const link of links.dependencyInstancesByTemplate.get(unit.name) ?? []) {
    if (!matchName || isKnownName(unit, link)) return 'enabled';
  }
  let sameNameLink = false;
  const candidates = new Set(links.linksByTargetName.get(unit.name));
  if (links.targetNameByLink.has(unit.name)) candidates.add(unit.name);
  for (const link of candidates) {
    const pointsAtUnit = links.targetNameByLink.get(link) === unit.name;
    const namedAsUnit = !ignoreSameName && link === unit.name;
    if (pointsAtUnit && namedAsUnit) sameNameLink = true;
    else if ((pointsAtUnit || namedAsUnit) && (!matchName || isKnownName(unit, link))) return 'enabled';
  }
  return sameNameLink ? 'same-name-link' : undefined;
}

/** Whether `link` is a name `systemctl enable` would create for the unit: its own, an Alias=, or its default instance. */
function isKnownName(unit: FoundUnit, link: string): boolean {
  if (link === unit.name || unit.install.aliases.includes(link)) return true;
  const { defaultInstance } = unit.install;
  return defaultInstance !== undefined && withInstance(unit.name, defaultInstance) === link;
}
