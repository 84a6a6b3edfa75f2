// Orders drop-in configuration files the way systemd (sysctl.d, modules-load.d) and kmod (modprobe.d) do:
// a file name in an earlier directory hides the same name in later ones, and the survivors are read
// sorted by file name regardless of directory.
import { compareStrings } from '../../util/order.js';

export interface ListedDirectory {
  dir: string;
  /** File names found in `dir`. */
  names: string[];
}

export interface OrderedDropIn {
  name: string;
  dir: string;
  path: string;
}

export interface ShadowedDropIn {
  path: string;
  /** The same-named file in a higher-priority directory that is read instead. */
  shadowedBy: string;
}

export interface DropInOrder {
  files: OrderedDropIn[];
  shadowed: ShadowedDropIn[];
}

/** `directories` must be given highest priority first (e.g. /etc before /run before /usr/lib). */
export function orderDropIns(directories: readonly ListedDirectory[], suffix = '.conf'): DropInOrder {
  const winners = new Map<string, OrderedDropIn>();
  const shadowed: ShadowedDropIn[] = [];
  for (const { dir, names } of directories) {
    for (const name of names) {
      if (!name.endsWith(suffix) || name.startsWith('.')) continue;
      const path = `${dir}/${name}`;
      const winner = winners.get(name);
      if (winner) shadowed.push({ path, shadowedBy: winner.path });
      else winners.set(name, { name, dir, path });
    }
  }
  return {
    files: [...winners.values()].sort((a, b) => compareStrings(a.name, b.name)),
    shadowed: shadowed.sort((a, b) => compareStrings(a.path, b.path)),
  };
}
