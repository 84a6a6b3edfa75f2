// Which paths under /etc/systemd/network are networkd configuration, and of which kind: the one grammar the
// reader lists files by and a desired document is held to before anything is written there.
import { hasControlCharacters } from '../shared/safe-path.js';
import type { NetworkdFileKind } from './schema.js';

export const NETWORKD_CONFIG_DIR = '/etc/systemd/network';
const FILE_NAME = /\.(network|netdev|link)$/;
const DROP_IN_DIR = /\.(network|netdev|link)\.d$/;
const DROP_IN_NAME = /\.conf$/;
/** NAME_MAX: longer names cannot exist on Linux file systems. */
const MAX_NAME_BYTES = 255;

/**
 * networkd (like every systemd conf-files reader) skips hidden files, and `.` and `..` are no names at all; a
 * control character (a newline) in a name is refused too, so no name can forge lines in a listing or a log.
 */
function isUsableName(name: string): boolean {
  return (
    name !== '' &&
    !name.startsWith('.') &&
    Buffer.byteLength(name) <= MAX_NAME_BYTES &&
    !hasControlCharacters(name)
  );
}

/** The kind of a file networkd reads by its name in the config directory (`*.network`, `*.netdev`, `*.link`). */
export function networkdKindOfFileName(name: string): NetworkdFileKind | undefined {
  if (!isUsableName(name)) return undefined;
  return FILE_NAME.exec(name)?.[1] as NetworkdFileKind | undefined;
}

/** The kind of the files in a drop-in directory (`foo.network.d` → network). */
export function networkdKindOfDropInDir(name: string): NetworkdFileKind | undefined {
  if (!isUsableName(name)) return undefined;
  return DROP_IN_DIR.exec(name)?.[1] as NetworkdFileKind | undefined;
}

export function isDropInName(name: string): boolean {
  return isUsableName(name) && DROP_IN_NAME.test(name);
}

/**
 * The kind of file at `path`, or undefined unless it is `/etc/systemd/network/<name>.<kind>` or
 * `/etc/systemd/network/<name>.<kind>.d/<name>.conf`.
 */
export function networkdKindOfPath(path: string): NetworkdFileKind | undefined {
  if (!path.startsWith(`${NETWORKD_CONFIG_DIR}/`)) return undefined;
  const parts = path.slice(NETWORKD_CONFIG_DIR.length + 1).split('/');
  const [first = '', second = ''] = parts;
  if (parts.length === 1) return networkdKindOfFileName(first);
  if (parts.length === 2 && isDropInName(second)) return networkdKindOfDropInDir(first);
  return undefined;
}

/** The `.network`/`.netdev`/`.link` file name a path configures: its own name, or its drop-in directory's. */
export function configuredFileName(path: string): string {
  const parts = path.slice(NETWORKD_CONFIG_DIR.length + 1).split('/');
  return parts.length === 2 ? (parts[0] as string).slice(0, -'.d'.length) : (parts[0] as string);
}
