import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RootFs } from '../../machine/root-fs.js';
import { readLoadedModules } from './read-proc.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-proc-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readLoadedModules', () => {
  it('reads /proc/modules and explains its absence', async () => {
    const missing = await readLoadedModules(new RootFs(root));
    expect(missing.modules).toBeNull();
    expect(missing.unavailableReason).toMatch(/is \/proc mounted/);

    await mkdir(join(root, 'proc/self'), { recursive: true });
    const noModules = await readLoadedModules(new RootFs(root));
    expect(noModules.unavailableReason).toBe('the kernel has no loadable module support (no /proc/modules)');

    await writeFile(join(root, 'proc/modules'), 'loop 32768 0 - Live 0x0\n');
    const loaded = await readLoadedModules(new RootFs(root));
    expect(loaded.modules).toEqual([{ name: 'loop', size: 32768, refcount: 0, usedBy: [], state: 'Live' }]);
  });
});
