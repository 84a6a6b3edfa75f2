// A deployment store on btrfs (layout in layout.ts): its versions, the active one, the activation history,
// and staging directories, where a version is built and from which it appears all at once or not at all.
//
// The store's path is a machine path; it is resolved to a host path once, through the Machine, because
// btrfs-progs and the directory renames that publish a version work on host paths. Small files (manifests,
// history, the `current` link) go through machine.files like every other write under the machine root.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { z } from 'zod';
import type { Machine } from '../machine/machine.js';
import { describeZodIssues } from '../state/document.js';
import { deleteSubvolume, isOnBtrfs, isSubvolumeRoot } from './btrfs.js';
import { DeployError } from './errors.js';
import {
  CURRENT_LINK,
  currentLinkTarget,
  HISTORY_FILE,
  MANIFEST_FILE,
  STAGING_PREFIX,
  type StagingOwner,
  stagingDirName,
  stagingOwnerOf,
  TREE_NAME,
  VERSIONS_DIR,
  versionNameProblem,
  versionOfLinkTarget,
} from './layout.js';
import { compareNewestFirst, type Manifest, parseManifest } from './manifest.js';

export interface StoredVersion {
  name: string;
  manifest: Manifest;
  /** Host path of the version's read-only subvolume. */
  treeHostPath: string;
}

const historySchema = z.object({ stack: z.array(z.string()) }).strict();

export class DeployStore {
  /** Staging directories of dead runs removed when the store was opened. */
  readonly cleanedStaging: string[] = [];

  private constructor(
    readonly machine: Machine,
    readonly path: string,
    readonly hostPath: string,
  ) {}

  /** Opens the store (creating it when `create`), then removes what dead runs left in staging. */
  static async open(machine: Machine, path: string, options: { create: boolean }): Promise<DeployStore> {
    if (!path.startsWith('/') || posix.normalize(path) !== path || path === '/')
      throw new DeployError(`--store must be a normalized absolute path other than /, got "${path}"`);
    const hostPath = await machine.files.resolve(path);
    const exists = await machine.files.exists(path);
    if (!exists && !options.create)
      throw new DeployError(
        `no deployment store at ${path}${machine.root === '/' ? '' : ` under ${machine.root}`}`,
        'create one with `op-dbus deploy snapshot` or `op-dbus deploy receive`, or give --store',
      );
    if (!exists) await mkdir(hostPath, { recursive: true, mode: 0o755 });
    if (!(await isOnBtrfs(hostPath)))
      throw new DeployError(`the deployment store ${path} is not on a btrfs file system`);
    await mkdir(join(hostPath, VERSIONS_DIR), { recursive: true, mode: 0o755 });
    const store = new DeployStore(machine, path, hostPath);
    await store.removeAbandonedStaging();
    return store;
  }

  private versionsHostPath(...parts: string[]): string {
    return join(this.hostPath, VERSIONS_DIR, ...parts);
  }

  private machinePath(...parts: string[]): string {
    return posix.join(this.path, ...parts);
  }

  /** Every version, newest first; a version whose manifest cannot be read is reported, not hidden. */
  async versions(): Promise<{ versions: StoredVersion[]; problems: string[] }> {
    const versions: StoredVersion[] = [];
    const problems: string[] = [];
    for (const entry of await this.machine.files.readDir(this.machinePath(VERSIONS_DIR))) {
      if (entry.kind !== 'directory' || entry.name.startsWith('.')) continue;
      try {
        versions.push(await this.readVersion(entry.name));
      } catch (error) {
        problems.push(`${entry.name}: ${(error as Error).message}`);
      }
    }
    versions.sort((a, b) => compareNewestFirst(a.manifest, b.manifest));
    return { versions, problems };
  }

  async hasVersion(name: string): Promise<boolean> {
    return this.machine.files.exists(this.machinePath(VERSIONS_DIR, name));
  }

  async version(name: string): Promise<StoredVersion> {
    const problem = versionNameProblem(name);
    if (problem) throw new DeployError(`"${name}" is not a version name: it ${problem}`);
    if (!(await this.hasVersion(name)))
      throw new DeployError(`no version "${name}" in ${this.path}`, 'see `op-dbus deploy list`');
    return this.readVersion(name);
  }

  private async readVersion(name: string): Promise<StoredVersion> {
    const manifestPath = this.machinePath(VERSIONS_DIR, name, MANIFEST_FILE);
    const text = await this.machine.files.readText(manifestPath);
    if (text === undefined) throw new DeployError(`${manifestPath} is missing`);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new DeployError(`${manifestPath} is not JSON`);
    }
    const manifest = parseManifest(value, manifestPath);
    if (manifest.name !== name) throw new DeployError(`${manifestPath} names version "${manifest.name}"`);
    const treeHostPath = this.versionsHostPath(name, TREE_NAME);
    if (!(await isSubvolumeRoot(treeHostPath)))
      throw new DeployError(`${name}/${TREE_NAME} is not a subvolume`);
    return { name, manifest, treeHostPath };
  }

  /** The active version's name, or undefined when nothing is active (or `current` was not written by op-dbus). */
  async activeVersion(): Promise<string | undefined> {
    const target = await this.machine.files.readLink(this.machinePath(CURRENT_LINK));
    return target === undefined ? undefined : versionOfLinkTarget(target);
  }

  /** Points `current` at `name` (or removes it) with one rename: readers see the old or the new, never neither. */
  async switchCurrent(name: string | undefined): Promise<void> {
    const link = this.machinePath(CURRENT_LINK);
    if (name === undefined) await this.machine.files.removeFile(link);
    else await this.machine.files.writeSymlink(link, currentLinkTarget(name));
  }

  async history(): Promise<string[]> {
    const path = this.machinePath(HISTORY_FILE);
    const text = await this.machine.files.readText(path);
    if (text === undefined) return [];
    const hint = `remove ${path} to start a new history`;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new DeployError(`${path} is not JSON`, hint);
    }
    const result = historySchema.safeParse(value);
    if (!result.success)
      throw new DeployError(`${path}: ${describeZodIssues(result.error.issues).join('; ')}`, hint);
    return result.data.stack;
  }

  async saveHistory(stack: readonly string[]): Promise<void> {
    await this.machine.files.writeFile(
      this.machinePath(HISTORY_FILE),
      `${JSON.stringify({ stack }, null, 2)}\n`,
    );
  }

  /** A new hidden directory beside the versions, owned by this process. */
  async stage(): Promise<Staging> {
    const staging = await this.newStaging();
    // Readable by all: a published version must be readable by the services that run from it.
    await mkdir(staging.hostPath, { mode: 0o755 });
    return staging;
  }

  /** Hides the version at once (a rename into staging), then deletes its subvolume. */
  async removeVersion(name: string): Promise<void> {
    const staging = await this.newStaging();
    await rename(this.versionsHostPath(name), staging.hostPath);
    await staging.discard();
  }

  private async newStaging(): Promise<Staging> {
    const dirName = stagingDirName(await ownProcess(), randomBytes(4).toString('hex'));
    return new Staging(this, this.versionsHostPath(dirName), this.machinePath(VERSIONS_DIR, dirName));
  }

  /** Publishes a staged version under `name`; fails (leaving staging to the caller) if the name is taken. */
  async publish(staging: Staging, name: string): Promise<void> {
    if (await this.hasVersion(name))
      throw new DeployError(`version "${name}" already exists in ${this.path}`);
    await rename(staging.hostPath, this.versionsHostPath(name));
  }

  private async removeAbandonedStaging(): Promise<void> {
    for (const entry of await this.machine.files.readDir(this.machinePath(VERSIONS_DIR))) {
      if (!entry.name.startsWith(STAGING_PREFIX)) continue;
      const owner = stagingOwnerOf(entry.name);
      if (owner && (await isRunning(owner))) continue;
      await discardStagingDirectory(this.versionsHostPath(entry.name));
      this.cleanedStaging.push(entry.name);
    }
  }
}

export class Staging {
  constructor(
    readonly store: DeployStore,
    readonly hostPath: string,
    readonly machinePath: string,
  ) {}

  get treeHostPath(): string {
    return join(this.hostPath, TREE_NAME);
  }

  async writeManifest(manifest: Manifest): Promise<void> {
    await this.store.machine.files.writeFile(
      posix.join(this.machinePath, MANIFEST_FILE),
      `${JSON.stringify(manifest, null, 2)}\n`,
    );
  }

  async discard(): Promise<void> {
    await discardStagingDirectory(this.hostPath);
  }
}

/** Deletes every subvolume in a staging directory (a received or snapshotted tree, complete or not), then it. */
async function discardStagingDirectory(hostPath: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(hostPath);
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(hostPath, entry);
    if (await isSubvolumeRoot(path)) await deleteSubvolume(path);
  }
  await rm(hostPath, { recursive: true, force: true });
}

/** This process, as staging directory names record it. */
async function ownProcess(): Promise<StagingOwner> {
  const owner = await processStat(process.pid);
  if (!owner) throw new Error('cannot read /proc/self/stat');
  return owner;
}

/** PID and start time of a live (not zombie) process, from the host's /proc: staging owners are host processes. */
async function processStat(pid: number): Promise<StagingOwner | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces and parentheses; the fields after the last ')' do not.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTicks = fields[19];
  if (state === 'Z' || state === 'X' || startTicks === undefined) return undefined;
  return { pid, startTicks };
}

async function isRunning(owner: StagingOwner): Promise<boolean> {
  return (await processStat(owner.pid))?.startTicks === owner.startTicks;
}
