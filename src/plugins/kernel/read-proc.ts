// Reads what the running kernel reports about itself under the machine's /proc: the command line it
// booted with and the modules it has loaded.
import type { RootFs } from '../../machine/root-fs.js';
import { isSecretName, REDACTED, type SectionRedaction } from '../../state/redact.js';
import type { FileProblem } from '../shared/file-problem.js';
import { isBootSpecificParameter, parseKernelCommandLine } from './parse-cmdline.js';
import { type LoadedModule, parseProcModules } from './parse-proc-modules.js';

export interface CommandLineRead {
  portable: string[] | null;
  facts: { bootParameters: string[]; initArguments: string[] } | null;
  unavailableReason?: string;
  redactions: SectionRedaction[];
}

async function readProcFile(files: RootFs, path: string): Promise<{ text: string } | { reason: string }> {
  try {
    const text = await files.readText(path);
    return text === undefined
      ? { reason: `${path} does not exist under the machine root (is /proc mounted?)` }
      : { text };
  } catch (error) {
    return { reason: (error as Error).message };
  }
}

export async function readCommandLine(files: RootFs): Promise<CommandLineRead> {
  const read = await readProcFile(files, '/proc/cmdline');
  if ('reason' in read)
    return { portable: null, facts: null, unavailableReason: read.reason, redactions: [] };
  const { parameters, initArguments } = parseKernelCommandLine(read.text);
  const portable: string[] = [];
  const bootParameters: string[] = [];
  const redactions: SectionRedaction[] = [];
  for (const { token, key, value } of parameters) {
    const boot = isBootSpecificParameter(key);
    const list = boot ? bootParameters : portable;
    if (value !== null && isSecretName(key)) {
      redactions.push({
        path: boot
          ? ['facts', 'commandLine', 'bootParameters', list.length]
          : ['config', 'commandLine', list.length],
        reason: `secret-named kernel parameter ${key}`,
      });
      list.push(`${key}=${REDACTED}`);
    } else {
      list.push(token);
    }
  }
  return { portable, facts: { bootParameters, initArguments }, redactions };
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
