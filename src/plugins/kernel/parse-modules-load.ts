// Parses modules-load.d files and Debian's /etc/modules: one module name per line, `#`/`;` comments.
import { type ConfProblem, meaningfulLines } from './conf-lines.js';
import { normalizeModuleName } from './parse-modprobe.js';

export interface ModulesLoadFile {
  /** Module names in file order, normalised to underscores as the kernel names them. */
  modules: string[];
  problems: ConfProblem[];
}

export function parseModulesLoad(text: string): ModulesLoadFile {
  const modules: string[] = [];
  const problems: ConfProblem[] = [];
  for (const { line, text: setting } of meaningfulLines(text, { commentChars: '#;', continuation: false })) {
    const [name, ...args] = setting.split(/\s+/) as [string, ...string[]];
    modules.push(normalizeModuleName(name));
    if (args.length > 0) {
      // Debian's old init script passed these to modprobe; systemd-modules-load would fail on the whole line.
      problems.push({
        line,
        text: setting,
        reason: `module arguments ${args.join(' ')} are not applied; use options in modprobe.d`,
      });
    }
  }
  return { modules, problems };
}
