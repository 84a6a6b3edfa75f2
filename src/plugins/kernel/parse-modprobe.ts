// Parses modprobe.d files with kmod's rules and merges them in read order into one configuration
// (options per module, blacklist, install/remove commands, aliases, soft dependencies).
import { sortedRecord } from '../../util/order.js';
import { type ConfProblem, meaningfulLines } from './conf-lines.js';
import { splitKernelArguments } from './parse-cmdline.js';

export interface ModprobeAlias {
  pattern: string;
  module: string;
}

export interface ModprobeSoftdep {
  pre: string[];
  post: string[];
}

export type ModprobeDirective =
  | { kind: 'options'; module: string; options: string[] }
  | { kind: 'blacklist'; module: string }
  | { kind: 'install' | 'remove'; module: string; command: string }
  | { kind: 'alias'; pattern: string; module: string }
  | { kind: 'softdep'; module: string; pre: string[]; post: string[] };

export interface ModprobeFile {
  directives: ModprobeDirective[];
  problems: ConfProblem[];
}

export interface ModprobeConfig {
  options: Record<string, string[]>;
  blacklist: string[];
  install: Record<string, string>;
  remove: Record<string, string>;
  aliases: ModprobeAlias[];
  softdeps: Record<string, ModprobeSoftdep>;
}

/** kmod treats `-` and `_` in module names as the same character and stores `_`. */
export function normalizeModuleName(name: string): string {
  return name.replace(/-/g, '_');
}

/** Alias patterns are normalised too, except inside `[...]` character classes, as kmod does. */
function normalizeAliasPattern(pattern: string): string {
  let inClass = false;
  let out = '';
  for (const char of pattern) {
    if (char === '[') inClass = true;
    if (char === ']') inClass = false;
    out += char === '-' && !inClass ? '_' : char;
  }
  return out;
}

function parseSoftdep(module: string, words: string[]): ModprobeDirective | string {
  const softdep = { kind: 'softdep' as const, module, pre: [] as string[], post: [] as string[] };
  let list: string[] | undefined;
  for (const word of words) {
    if (word === 'pre:') list = softdep.pre;
    else if (word === 'post:') list = softdep.post;
    else if (list) list.push(normalizeModuleName(word));
    else return `softdep module ${word} is not after pre: or post:`;
  }
  return softdep;
}

function parseDirective(text: string): ModprobeDirective | string {
  const match = /^(\S+)(?:\s+(\S+))?(?:\s+(.*))?$/.exec(text) as unknown as [
    string,
    string,
    string?,
    string?,
  ];
  const [, command, first, rest = ''] = match;
  const words = rest === '' ? [] : rest.split(/\s+/);
  if (first === undefined) return `${command} needs a module name`;
  const module = normalizeModuleName(first);
  switch (command) {
    case 'options':
      return { kind: 'options', module, options: splitKernelArguments(rest) };
    case 'blacklist':
      return words.length === 0 ? { kind: 'blacklist', module } : 'blacklist takes exactly one module name';
    case 'install':
    case 'remove':
      return rest === '' ? `${command} needs a command` : { kind: command, module, command: rest };
    case 'alias':
      return words.length === 1
        ? {
            kind: 'alias',
            pattern: normalizeAliasPattern(first),
            module: normalizeModuleName(words[0] as string),
          }
        : 'alias takes a pattern and one module name';
    case 'softdep':
      return parseSoftdep(module, words);
    case 'include':
    case 'config':
      return `${command} is deprecated and ignored by kmod`;
    default:
      return `unknown directive ${command}`;
  }
}

export function parseModprobeConf(text: string): ModprobeFile {
  const directives: ModprobeDirective[] = [];
  const problems: ConfProblem[] = [];
  for (const { line, text: setting } of meaningfulLines(text, { commentChars: '#', continuation: true })) {
    const parsed = parseDirective(setting);
    if (typeof parsed === 'string') problems.push({ line, text: setting, reason: parsed });
    else directives.push(parsed);
  }
  return { directives, problems };
}

/**
 * Merges directives in read order: options and soft dependencies accumulate; for install and remove the
 * first command wins, because kmod stops at the first match. Aliases stay in read order, which is the
 * order kmod tries them.
 */
export function mergeModprobeDirectives(directives: readonly ModprobeDirective[]): ModprobeConfig {
  const options = new Map<string, string[]>();
  const blacklist = new Set<string>();
  const install = new Map<string, string>();
  const remove = new Map<string, string>();
  const aliases: ModprobeAlias[] = [];
  const softdeps = new Map<string, ModprobeSoftdep>();
  for (const directive of directives) {
    switch (directive.kind) {
      case 'options':
        options.set(directive.module, [...(options.get(directive.module) ?? []), ...directive.options]);
        break;
      case 'blacklist':
        blacklist.add(directive.module);
        break;
      case 'install':
        if (!install.has(directive.module)) install.set(directive.module, directive.command);
        break;
      case 'remove':
        if (!remove.has(directive.module)) remove.set(directive.module, directive.command);
        break;
      case 'alias':
        aliases.push({ pattern: directive.pattern, module: directive.module });
        break;
      case 'softdep': {
        const known = softdeps.get(directive.module) ?? { pre: [], post: [] };
        softdeps.set(directive.module, {
          pre: [...known.pre, ...directive.pre],
          post: [...known.post, ...directive.post],
        });
        break;
      }
    }
  }
  return {
    options: sortedRecord(options),
    blacklist: [...blacklist].sort(),
    install: sortedRecord(install),
    remove: sortedRecord(remove),
    aliases,
    softdeps: sortedRecord(softdeps),
  };
}
