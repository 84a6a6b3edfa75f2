// Where things live in a deployment store and which names are allowed there (pure: no I/O).
//
//   STORE/deploy.json              optional activation config (units to restart, health check)
//   STORE/current -> versions/NAME/tree   the active deployment (a relative symlink, switched by rename)
//   STORE/history.json             activation stack, newest last (what `rollback` goes back to)
//   STORE/versions/NAME/tree       the version: a read-only btrfs subvolume
//   STORE/versions/NAME/manifest.json
//   STORE/versions/.staging-…      work in progress (snapshot, receive, prune): never listed, cleaned up
//
// A read-only subvolume cannot be moved to another directory (its `..` lives inside it), so a version is
// built inside a hidden directory next to the others and made visible by renaming that directory.
import { z } from 'zod';

export const DEFAULT_STORE = '/var/lib/op-dbus/deploy';
export const VERSIONS_DIR = 'versions';
export const TREE_NAME = 'tree';
export const MANIFEST_FILE = 'manifest.json';
export const CURRENT_LINK = 'current';
export const HISTORY_FILE = 'history.json';
export const CONFIG_FILE = 'deploy.json';
export const STAGING_PREFIX = '.staging-';

const VERSION_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const VERSION_NAME_MAX = 100;

/** Why `name` cannot name a version, or undefined when it can. */
export function versionNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > VERSION_NAME_MAX) return `is longer than ${VERSION_NAME_MAX} characters`;
  if (!VERSION_NAME.test(name))
    return 'may use only letters, digits, ".", "_", "+" and "-", and must start with a letter or digit';
  return undefined;
}

export const versionNameSchema = z.string().superRefine((name, context) => {
  const problem = versionNameProblem(name);
  if (problem) context.addIssue({ code: 'custom', message: `version name ${problem}` });
});

/** What `current` points at when `name` is active: relative, so it resolves the same inside a container. */
export function currentLinkTarget(name: string): string {
  return `${VERSIONS_DIR}/${name}/${TREE_NAME}`;
}

/** The version a `current` link target names, or undefined for a link op-dbus did not write. */
export function versionOfLinkTarget(target: string): string | undefined {
  const parts = target.split('/');
  if (parts.length !== 3 || parts[0] !== VERSIONS_DIR || parts[2] !== TREE_NAME) return undefined;
  const name = parts[1] as string;
  return versionNameProblem(name) === undefined ? name : undefined;
}

/** A staging directory is owned by one process, named so a later run can tell whether its owner is gone. */
export interface StagingOwner {
  pid: number;
  /** The owner's start time in clock ticks since boot (/proc/PID/stat field 22): PIDs are reused. */
  startTicks: string;
}

export function stagingDirName(owner: StagingOwner, nonce: string): string {
  return `${STAGING_PREFIX}${owner.pid}-${owner.startTicks}-${nonce}`;
}

export function stagingOwnerOf(dirName: string): StagingOwner | undefined {
  const match = /^\.staging-(\d+)-(\d+)-[0-9a-f]+$/.exec(dirName);
  if (!match) return undefined;
  return { pid: Number(match[1]), startTicks: match[2] as string };
}
