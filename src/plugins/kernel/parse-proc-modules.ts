// Parses /proc/modules: one loaded module per line, as `lsmod` reads it.
import { compareStrings } from '../../util/order.js';

export interface LoadedModule {
  name: string;
  /** Memory the module occupies, in bytes. */
  size: number;
  /** Number of users; null when the kernel cannot unload modules and prints `-`. */
  refcount: number | null;
  usedBy: string[];
  state: string;
}

export interface ProcModules {
  modules: LoadedModule[];
  /** Lines that do not have the expected fields, kept so a format change is noticed. */
  unparsed: string[];
}

// name size refcount users state address [taint flags]
const MODULE_LINE = /^(\S+)\s+(\d+)\s+(\d+|-)\s+(\S+)\s+(\S+)/;

export function parseProcModules(text: string): ProcModules {
  const modules: LoadedModule[] = [];
  const unparsed: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const match = MODULE_LINE.exec(line.trim());
    if (!match) {
      unparsed.push(line);
      continue;
    }
    const [, name, size, refcount, users, state] = match as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    modules.push({
      name,
      size: Number(size),
      refcount: refcount === '-' ? null : Number(refcount),
      usedBy: users === '-' ? [] : users.split(',').filter((user) => user !== ''),
      state,
    });
  }
  modules.sort((a, b) => compareStrings(a.name, b.name));
  return { modules, unparsed };
}
