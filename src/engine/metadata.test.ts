import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Machine } from '../machine/machine.js';
import { readMetadata } from './metadata.js';

const NOW = new Date('2025-03-01T12:00:00.000Z');
let root: string;

async function put(path: string, text: string): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), text);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-metadata-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readMetadata', () => {
  it('reads /etc/hostname as the identity plugin does, skipping comments', async () => {
    await put('/etc/hostname', '# set by the installer\n\nweb-07\n');
    await put('/etc/machine-id', '0123456789abcdef0123456789abcdef\n');
    const metadata = await readMetadata(new Machine({ root }), NOW);
    expect(metadata.hostname).toBe('web-07');
    expect(metadata.machineId).toBe('0123456789abcdef0123456789abcdef');
    expect(metadata.capturedAt).toBe(NOW.toISOString());
  });

  it('gives no hostname for a name systemd would refuse', async () => {
    await put('/etc/hostname', 'not a hostname\n');
    expect((await readMetadata(new Machine({ root }), NOW)).hostname).toBeNull();
  });

  it("takes the kernel release from the root's /proc, never from op-dbus's own kernel for another root", async () => {
    expect((await readMetadata(new Machine({ root }), NOW)).kernelRelease).toBeNull();
    await put('/proc/sys/kernel/osrelease', '6.1.0-18-amd64\n');
    expect((await readMetadata(new Machine({ root }), NOW)).kernelRelease).toBe('6.1.0-18-amd64');
  });

  it('knows the running kernel for the root /', async () => {
    expect((await readMetadata(new Machine({ root: '/' }), NOW)).kernelRelease).toBe(release());
  });
});
