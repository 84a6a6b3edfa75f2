// `deploy snapshot`: a read-only snapshot of a subvolume becomes a new version, manifest included, built in
// staging and published with one rename.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { showSubvolume, snapshotReadOnly } from './btrfs.js';
import { DeployError } from './errors.js';
import { versionNameProblem } from './layout.js';
import { MANIFEST_FORMAT, type Manifest } from './manifest.js';
import type { DeployStore } from './store.js';

export interface SnapshotRequest {
  name: string;
  /** Host path of the subvolume to snapshot. */
  fromHostPath: string;
  sourceHost: string | null;
  now: Date;
}

export async function snapshotVersion(store: DeployStore, request: SnapshotRequest): Promise<Manifest> {
  const problem = versionNameProblem(request.name);
  if (problem) throw new DeployError(`"${request.name}" is not a version name: it ${problem}`);
  if (await store.hasVersion(request.name))
    throw new DeployError(`version "${request.name}" already exists in ${store.path}`, 'pick another name');
  const { versions } = await store.versions();
  const staging = await store.stage();
  try {
    await snapshotReadOnly(request.fromHostPath, staging.treeHostPath);
    const info = await showSubvolume(staging.treeHostPath);
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      name: request.name,
      parent: versions[0]?.name ?? null,
      // What `btrfs send` will put in the stream, and so what every received copy records as its received
      // UUID: a read-only snapshot keeps the received UUID of a received source.
      uuid: info.receivedUuid ?? info.uuid,
      generation: info.generation,
      created: request.now.toISOString(),
      sourceHost: request.sourceHost,
      sizes: await treeSizes(staging.treeHostPath),
    };
    await staging.writeManifest(manifest);
    await store.publish(staging, request.name);
    return manifest;
  } catch (error) {
    await staging.discard();
    throw error;
  }
}

/** Counts of a tree's entries and its regular files' bytes; nested subvolumes are not part of a snapshot. */
export async function treeSizes(hostPath: string): Promise<Manifest['sizes']> {
  const sizes = { files: 0, directories: 0, symlinks: 0, bytes: 0 };
  const pending = [hostPath];
  while (pending.length > 0) {
    const directory = pending.pop() as string;
    for (const entry of await readdir(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        sizes.directories += 1;
        pending.push(path);
      } else if (entry.isSymbolicLink()) {
        sizes.symlinks += 1;
      } else if (entry.isFile()) {
        sizes.files += 1;
        sizes.bytes += (await lstat(path)).size;
      }
    }
  }
  return sizes;
}
