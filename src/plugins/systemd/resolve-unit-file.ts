// Finds the file behind a unit name in the unit search path, following alias and linked-unit symlinks, as
// systemd's install_info_discover() does before it decides a unit-file state. Pure: works on a UnitTree.
import { posix } from 'node:path';
import { compareStrings } from '../../util/order.js';
import {
  parseUnitName,
  templateOf,
  unitTypeMayAlias,
  unitTypeMayTemplate,
  withInstance,
} from '../shared/unit-name.js';
import { type InstallSection, readInstallSection } from './install-section.js';
import { type ParsedUnitFile, parseUnitFile } from './parse-unit-file.js';
import {
  absoluteLinkTarget,
  followLinks,
  isPathUnder,
  lookupChild,
  lookupTree,
  type TreeLookup,
  type UnitTree,
} from './unit-tree.js';

export type ResolvedUnitFile =
  | { kind: 'regular'; name: string; path: string; install: InstallSection }
  | { kind: 'masked'; name: string; path: string }
  /** systemd would answer something this code does not model (often `bad`); ask systemd itself. */
  | { kind: 'unclassified'; reason: string };

const MAX_SYMLINK_HOPS = 64;

/** One name being looked up (systemd's InstallInfo): where it was found and what was loaded for it. */
interface Lookup {
  name: string;
  path?: string;
  /** alias: a symlink inside the search path; linked: a symlink to a unit file outside it. */
  type?: 'regular' | 'masked' | 'alias' | 'linked';
  symlinkTarget?: string;
  sources: ParsedUnitFile[];
}

class Unclassified extends Error {}

const NOT_FOUND = Symbol('not found');

export function resolveUnitFile(tree: UnitTree, name: string): ResolvedUnitFile {
  try {
    return new Resolver(tree).resolve(name);
  } catch (error) {
    if (error instanceof Unclassified) return { kind: 'unclassified', reason: error.message };
    if (error === NOT_FOUND) return { kind: 'unclassified', reason: `no unit file named ${name}` };
    throw error;
  }
}

class Resolver {
  private readonly lookups = new Map<string, Lookup>();

  constructor(private readonly tree: UnitTree) {}

  resolve(name: string): ResolvedUnitFile {
    let current = this.search(name);
    for (let hops = 0; current.type === 'alias' || current.type === 'linked'; hops++) {
      if (hops >= MAX_SYMLINK_HOPS) throw new Unclassified(`too many symlinks resolving ${name}`);
      current = this.followSymlink(current);
    }
    const path = current.path as string;
    if (current.type === 'masked') return { kind: 'masked', name: current.name, path };
    const install = readInstallSection(current.name, current.sources);
    if (!install.ok) throw new Unclassified(`${path}: ${install.reason}`);
    return { kind: 'regular', name: current.name, path, install: install.install };
  }

  private followSymlink(current: Lookup): Lookup {
    const target = current.symlinkTarget as string;
    // A linked unit file is that unit whatever its file is called.
    if (current.type === 'linked') return this.loadInto(current, target);
    let targetName = posix.basename(target);
    const instance = parseUnitName(current.name);
    if (
      targetName !== current.name &&
      instance?.kind === 'instance' &&
      parseUnitName(targetName)?.kind === 'template'
    ) {
      // foo@bar.service → foo@.service keeps the instance: the link stands for the template's file.
      const instantiated = withInstance(targetName, instance.instance as string);
      if (instantiated === current.name) return this.loadInto(current, target);
      if (instantiated !== undefined) targetName = instantiated;
    }
    if (targetName === current.name) return this.loadInto(current, target);
    // An alias: continue with the unit the link names, found through the search path.
    const known = this.lookups.get(targetName);
    if (known) return known;
    try {
      return this.search(targetName);
    } catch (error) {
      if (error === NOT_FOUND)
        throw new Unclassified(`${current.path} is an alias of ${targetName}, which does not exist`);
      throw error;
    }
  }

  private loadInto(current: Lookup, path: string): Lookup {
    current.path = path;
    current.type = undefined;
    if (this.load(current, path) === NOT_FOUND) throw new Unclassified(`${path} does not exist`);
    return current;
  }

  /** unit_file_search(): the first file named `name` (or its template) in the search path, then its drop-ins. */
  private search(name: string): Lookup {
    const lookup: Lookup = { name, sources: [] };
    this.lookups.set(name, lookup);
    const template = templateOf(name);
    for (const file of template ? [name, template] : [name]) {
      for (const dir of this.tree.searchPath) {
        const node = lookupChild(this.tree, dir, file);
        if (node.kind === 'missing') continue;
        lookup.path = `${dir}/${file}`;
        this.load(lookup, lookup.path, node);
        if (lookup.type !== 'masked') lookup.sources.push(...this.dropInsOf(name, template));
        return lookup;
      }
    }
    throw NOT_FOUND;
  }

  /** Loads the file at `path` for `lookup` (unit_file_load_or_readlink()); NOT_FOUND when there is none. */
  private load(
    lookup: Lookup,
    path: string,
    node: TreeLookup = lookupTree(this.tree, path),
  ): typeof NOT_FOUND | undefined {
    const unit = parseUnitName(lookup.name);
    if (!unit) throw new Unclassified(`invalid unit name ${lookup.name}`);
    if (unit.kind !== 'plain' && !unitTypeMayTemplate(unit.type)) {
      throw new Unclassified(`${unit.type} units cannot be templated`);
    }
    switch (node.kind) {
      case 'missing':
        return NOT_FOUND;
      case 'file':
        if (node.content === '') lookup.type = 'masked';
        else {
          lookup.type = 'regular';
          lookup.sources.push(parseUnitFile(node.content));
        }
        return undefined;
      case 'symlink':
        this.readSymlink(lookup, path, node.target);
        return undefined;
      default:
        throw new Unclassified(`${path} is not a regular file or symlink (${node.kind})`);
    }
  }

  /** unit_file_resolve_symlink(): a mask, an alias (inside the search path) or a linked unit file (outside). */
  private readSymlink(lookup: Lookup, path: string, rawTarget: string): void {
    const target = absoluteLinkTarget(path, rawTarget);
    const insideSearchPath = this.tree.searchPath.some((dir) => isPathUnder(target, dir));
    if (insideSearchPath) checkAliasSymlink(posix.basename(path), posix.basename(target));
    const final = followLinks(this.tree, target);
    if (final.kind === 'unknown') throw new Unclassified(`${path} points to ${target}, which was not read`);
    if (final.kind === 'file' && final.content === '') {
      lookup.type = 'masked';
      return;
    }
    lookup.type = insideSearchPath ? 'alias' : 'linked';
    lookup.symlinkTarget = target;
  }

  /** Drop-in .conf files of the unit (and of its template), by file name, the first directory winning. */
  private dropInsOf(name: string, template: string | undefined): ParsedUnitFile[] {
    const chosen = new Map<string, string>();
    for (const unit of [name, ...(template ? [template] : [])]) {
      for (const dir of this.tree.searchPath) {
        const dropInDir = `${dir}/${unit}.d`;
        const node = lookupChild(this.tree, dir, `${unit}.d`);
        if (node.kind === 'missing') continue;
        if (node.kind !== 'directory') throw new Unclassified(`${dropInDir} was not read as a directory`);
        for (const [file, kind] of node.entries) {
          if (!file.endsWith('.conf') || file.startsWith('.') || kind === 'directory' || chosen.has(file))
            continue;
          chosen.set(file, posix.join(dropInDir, file));
        }
      }
    }
    return [...chosen.keys()].sort(compareStrings).flatMap((file) => {
      const path = chosen.get(file) as string;
      const node = followLinks(this.tree, path);
      if (node.kind !== 'file') throw new Unclassified(`drop-in ${path} is not readable (${node.kind})`);
      return node.content === '' ? [] : [parseUnitFile(node.content)];
    });
  }
}

/** unit_validate_alias_symlink(): an alias must keep the unit type and the template/instance shape. */
function checkAliasSymlink(source: string, target: string): void {
  const problem = aliasProblem(source, target);
  if (problem) throw new Unclassified(problem);
}

function aliasProblem(source: string, target: string): string | undefined {
  const from = parseUnitName(source);
  const to = parseUnitName(target);
  if (!from || !unitTypeMayAlias(from.type)) return `${source} may not be a symlink`;
  if (from.kind !== 'plain' && !unitTypeMayTemplate(from.type))
    return `${source}: ${from.type} units cannot be templated`;
  // systemd 252 rejects a link to a same-named file inside the search path (it reports "bad").
  if (source === target) return `${source} is a symlink to itself under the unit search path`;
  if (!to || to.type !== from.type) return `${source} → ${target}: incompatible unit name`;
  if (!(to.kind === from.kind || (from.kind === 'instance' && to.kind === 'template'))) {
    return `${source} → ${target}: template/instance mismatch`;
  }
  if (to.kind === 'instance' && to.instance !== from.instance)
    return `${source} → ${target}: instance mismatch`;
  return undefined;
}
