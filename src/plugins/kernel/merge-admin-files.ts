// Derives the merged values of the kernel config (modules loaded at boot, modprobe options, sysctl settings)
// from the admin files alone, in the order the tools read them. Pure: discovery fills the config with it, and
// the plan uses it to refuse a document whose merged values do not follow from its own files.
import { compareStrings } from '../../util/order.js';
import { ADMIN_FILE_SETS, type AdminFileFamily, type AdminFileSet } from './admin-paths.js';
import {
  type ModprobeConfig,
  type ModprobeDirective,
  mergeModprobeDirectives,
  parseModprobeConf,
} from './parse-modprobe.js';
import { parseModulesLoad } from './parse-modules-load.js';
import { mergeSysctlFiles, parseSysctlConf, type SysctlSetting } from './parse-sysctl.js';
import type { KernelAdminFile } from './schema.js';

export interface MergedKernelConfig {
  modulesLoad: string[];
  modprobe: ModprobeConfig;
  sysctl: Record<string, SysctlSetting>;
}

type AdminFiles = Readonly<Record<string, KernelAdminFile>>;

// The schema refuses longer chains; this only stops a loop in a document that skipped validation.
const MAX_LINK_HOPS = 8;

/** What reading `path` yields: its content, nothing for a mask, followed through links. */
function textOf(files: AdminFiles, path: string): string | undefined {
  let file = files[path];
  for (let hops = 0; file && 'linkTo' in file && hops <= MAX_LINK_HOPS; hops++) file = files[file.linkTo];
  if (!file || 'linkTo' in file) return undefined;
  return 'content' in file ? file.content : '';
}

/** The set's files in read order: drop-ins by name, then the legacy file unless a drop-in links to it. */
function textsInReadOrder(files: AdminFiles, set: AdminFileSet): { path: string; text: string }[] {
  const dropIns = Object.keys(files)
    .filter((path) => path.startsWith(`${set.dir}/`))
    .sort(compareStrings);
  const paths = [...dropIns];
  const legacy = set.legacyFile;
  const linkedFromDropIn = (path: string) =>
    dropIns.some((dropIn) => {
      const file = files[dropIn];
      return file !== undefined && 'linkTo' in file && file.linkTo === path;
    });
  if (legacy && files[legacy] && !linkedFromDropIn(legacy)) paths.push(legacy);
  return paths.flatMap((path) => {
    const text = 'masked' in (files[path] ?? {}) ? undefined : textOf(files, path);
    return text === undefined ? [] : [{ path, text }];
  });
}

function textsOf(files: AdminFiles, family: AdminFileFamily) {
  const set = ADMIN_FILE_SETS.find((candidate) => candidate.family === family) as AdminFileSet;
  return textsInReadOrder(files, set);
}

export function mergeAdminFiles(files: AdminFiles): MergedKernelConfig {
  const modules = new Set<string>();
  for (const { text } of textsOf(files, 'modules-load'))
    for (const name of parseModulesLoad(text).modules) modules.add(name);

  const directives: ModprobeDirective[] = [];
  for (const { text } of textsOf(files, 'modprobe')) directives.push(...parseModprobeConf(text).directives);

  const sysctl = mergeSysctlFiles(
    textsOf(files, 'sysctl').map(({ path, text }) => ({ path, entries: parseSysctlConf(text).entries })),
  );
  return {
    modulesLoad: [...modules].sort(compareStrings),
    modprobe: mergeModprobeDirectives(directives),
    sysctl: Object.fromEntries(
      [...sysctl.values()].map(({ key, value, ignoreFailure }) => [key, { value, ignoreFailure }]),
    ),
  };
}
