// Reads what the running kernel reports about itself under the machine's /proc: files such as the command
// line it booted with, and the modules it has loaded.
import type { RootFs } from '../../machine/root-fs.js';
import type { FileProblem } from '../shared/file-problem.js';
import { type LoadedModule, parseProcModules } from './parse-proc-modules.js';

export async function readProcFile(
  files: RootFs,
  path: string,
): Promise<{ text: string } | { reason: string }> {
  try {
    const text = await files.readText(path);
    return text === undefined
      ? { reason: `${path} does not exist under the machine root (is /proc mounted?)` }
      : { text };
  } catch (error) {
    return { reason: (error as Error).message };
  }
}

export interface LoadedModulesRead {
  modules: LoadedModule[] | null;
  unavailableReason?: string;
  problems: FileProblem[];
}

export async function readLoadedModules(files: RootFs): Promise<LoadedModulesRead> {
  const read = await readProcFile(files, '/proc/modules');
  if ('reason' in read) {
    const procMounted = await files.exists('/proc/self').catch(() => false);
    const reason = procMounted ? 'the kernel has no loadable module support (no /proc/modules)' : read.reason;
    return { modules: null, unavailableReason: reason, problems: [] };
  }
  const { modules, unparsed } = parseProcModules(read.text);
  return {
    modules,
    problems: unparsed.map((text) => ({
      path: '/proc/modules',
      line: null,
      text,
      reason: 'unrecognised /proc/modules line',
    })),
  };
}
