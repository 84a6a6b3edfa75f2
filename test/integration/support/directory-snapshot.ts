// What a directory held before a test, so the test can remove exactly what it added (a target's
// /var/lib/op-dbus, where the services keep their ledger, may hold other tests' state too).
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface DirectorySnapshot {
  /** Removes every entry added since the snapshot, and the directory itself if it did not exist then. */
  restore(): Promise<void>;
}

export async function snapshotDirectory(path: string): Promise<DirectorySnapshot> {
  const before = existsSync(path) ? new Set(await readdir(path)) : undefined;
  return {
    async restore() {
      if (before === undefined) return rm(path, { recursive: true, force: true });
      for (const entry of await readdir(path).catch(() => []))
        if (!before.has(entry)) await rm(join(path, entry), { recursive: true, force: true });
    },
  };
}
