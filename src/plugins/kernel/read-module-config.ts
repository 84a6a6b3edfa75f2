// Reads which modules are loaded at boot (modules-load.d, /etc/modules) and how they are configured
// (modprobe.d), splitting the administrator's files (config) from vendor files (facts).
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

function byOrigin(files: readonly DropInText[], origin: DropInText['origin']): DropInText[] {
  return files.filter((file) => file.origin === origin && !file.masked);
}

export interface ModulesLoadRead {
  config: string[];
  facts: DropInSources & { vendorModules: string[] };
  problems: FileProblem[];
}

export async function readModulesLoad(files: RootFs): Promise<ModulesLoadRead> {
  const dropIns = await readDropIns(files, { dirs: MODULES_LOAD_DIRS, legacyFile: '/etc/modules' });
  const problems = [...dropIns.problems];
  const modulesOf = (origin: DropInText['origin']) => {
    const names = new Set<string>();
    for (const file of byOrigin(dropIns.files, origin)) {
      const parsed = parseModulesLoad(file.text);
      for (const name of parsed.modules) names.add(name);
      problems.push(...locateProblems(file.path, parsed.problems));
    }
    return [...names].sort();
  };
  const config = modulesOf('config');
  const vendorModules = modulesOf('vendor');
  return { config, facts: { ...describeSources(dropIns), vendorModules }, problems };
}

export interface ModprobeRead {
  config: ModprobeConfig;
  facts: DropInSources & { vendor: ModprobeConfig };
  problems: FileProblem[];
}

export async function readModprobe(files: RootFs): Promise<ModprobeRead> {
  const dropIns = await readDropIns(files, { dirs: MODPROBE_DIRS });
  const problems = [...dropIns.problems];
  const mergedFrom = (origin: DropInText['origin']) => {
    const directives: ModprobeDirective[] = [];
    for (const file of byOrigin(dropIns.files, origin)) {
      const parsed = parseModprobeConf(file.text);
      directives.push(...parsed.directives);
      problems.push(...locateProblems(file.path, parsed.problems));
    }
    return mergeModprobeDirectives(directives);
  };
  const config = mergedFrom('config');
  const vendor = mergedFrom('vendor');
  return { config, facts: { ...describeSources(dropIns), vendor }, problems };
}
