// Reads which modules are loaded at boot (modules-load.d, /etc/modules) and how they are configured
// (modprobe.d) for the facts: every file in read order, the vendor files' merged values, and the problems of
// all of them. The administrator's merged values come from the admin files (merge-admin-files.ts).
import type { RootFs } from '../../machine/root-fs.js';
import type { FileProblem } from '../shared/file-problem.js';
import {
  type ModprobeConfig,
  type ModprobeDirective,
  mergeModprobeDirectives,
  parseModprobeConf,
} from './parse-modprobe.js';
import { parseModulesLoad } from './parse-modules-load.js';
import {
  type DropInSources,
  type DropInText,
  describeSources,
  locateProblems,
  readDropIns,
} from './read-drop-ins.js';

const MODULES_LOAD_DIRS = [
  '/etc/modules-load.d',
  '/run/modules-load.d',
  '/usr/local/lib/modules-load.d',
  '/usr/lib/modules-load.d',
];
// kmod's search path: newer kmod reads /usr/lib/modprobe.d, Debian's kmod 30 only /lib/modprobe.d.
const MODPROBE_DIRS = [
  '/etc/modprobe.d',
  '/run/modprobe.d',
  '/usr/local/lib/modprobe.d',
  '/usr/lib/modprobe.d',
  '/lib/modprobe.d',
];

function unmasked(files: readonly DropInText[]): DropInText[] {
  return files.filter((file) => !file.masked);
}

export interface ModulesLoadRead {
  facts: DropInSources & { vendorModules: string[] };
  problems: FileProblem[];
}

export async function readModulesLoad(files: RootFs): Promise<ModulesLoadRead> {
  const dropIns = await readDropIns(files, { dirs: MODULES_LOAD_DIRS, legacyFile: '/etc/modules' });
  const problems = [...dropIns.problems];
  const vendorModules = new Set<string>();
  for (const file of unmasked(dropIns.files)) {
    const parsed = parseModulesLoad(file.text);
    problems.push(...locateProblems(file.path, parsed.problems));
    if (file.origin === 'vendor') for (const name of parsed.modules) vendorModules.add(name);
  }
  return { facts: { ...describeSources(dropIns), vendorModules: [...vendorModules].sort() }, problems };
}

export interface ModprobeRead {
  facts: DropInSources & { vendor: ModprobeConfig };
  problems: FileProblem[];
}

export async function readModprobe(files: RootFs): Promise<ModprobeRead> {
  const dropIns = await readDropIns(files, { dirs: MODPROBE_DIRS });
  const problems = [...dropIns.problems];
  const vendorDirectives: ModprobeDirective[] = [];
  for (const file of unmasked(dropIns.files)) {
    const parsed = parseModprobeConf(file.text);
    problems.push(...locateProblems(file.path, parsed.problems));
    if (file.origin === 'vendor') vendorDirectives.push(...parsed.directives);
  }
  const vendor = mergeModprobeDirectives(vendorDirectives);
  return { facts: { ...describeSources(dropIns), vendor }, problems };
}
