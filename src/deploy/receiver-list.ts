// What a receiver holds, for `deploy send --auto-parent`: the JSON of `op-dbus deploy list --json` run on the
// receiver, or the receiver's store directory when it is reachable from here (another pool, a bind mount).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { describeZodIssues } from '../state/document.js';
import { DeployError } from './errors.js';
import { MANIFEST_FILE, VERSIONS_DIR } from './layout.js';
import { parseManifest } from './manifest.js';
import type { ReceiverVersion } from './parent.js';

const listOutputSchema = z.looseObject({
  versions: z.array(z.looseObject({ manifest: z.looseObject({ name: z.string(), uuid: z.string() }) })),
});

export async function loadReceiverVersions(source: string): Promise<ReceiverVersion[]> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(source)).isDirectory();
  } catch (error) {
    throw new DeployError(`cannot read --receiver ${source}: ${(error as Error).message}`);
  }
  return isDirectory ? versionsInStoreDirectory(source) : versionsInListOutput(source);
}

async function versionsInListOutput(file: string): Promise<ReceiverVersion[]> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new DeployError(`--receiver ${file} is not JSON: ${(error as Error).message}`);
  }
  const result = listOutputSchema.safeParse(value);
  if (!result.success)
    throw new DeployError(
      `--receiver ${file} is not the output of \`op-dbus deploy list --json\`: ${describeZodIssues(result.error.issues).join('; ')}`,
    );
  return result.data.versions.map(({ manifest }) => ({ name: manifest.name, uuid: manifest.uuid }));
}

/** Reads manifests only: a store that belongs to another machine is not cleaned up or otherwise touched. */
async function versionsInStoreDirectory(store: string): Promise<ReceiverVersion[]> {
  const directory = join(store, VERSIONS_DIR);
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    throw new DeployError(`--receiver ${store} is not a deployment store: ${(error as Error).message}`);
  }
  const versions: ReceiverVersion[] = [];
  for (const name of names.filter((entry) => !entry.startsWith('.')).sort()) {
    const path = join(directory, name, MANIFEST_FILE);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const manifest = parseManifest(JSON.parse(text), path);
    versions.push({ name: manifest.name, uuid: manifest.uuid });
  }
  return versions;
}
