// `op-dbus deploy` snapshot/send/receive between two real loop-mounted btrfs pools: full and incremental
// streams arrive with identical content; damaged, truncated, unsigned and foreign-signed streams are refused
// and leave nothing; a receive killed mid-stream leaves no visible version and is cleaned up by the next run.
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, link, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opDbus } from '../support/run-cli.js';
import {
  type BtrfsPool,
  createBtrfsPool,
  createSubvolume,
  subvolumePaths,
  treeDigest,
} from './support/btrfs-pool.js';

const REPO = new URL('../../', import.meta.url).pathname;
const STORE = '/deploy';

let sender: BtrfsPool;
let receiver: BtrfsPool;
let work: string;

const deployOn = (pool: BtrfsPool, args: string[]) =>
  opDbus(['deploy', '--root', pool.mountpoint, '--store', STORE, ...args]);
const versionTree = (pool: BtrfsPool, name: string) => join(pool.mountpoint, STORE, 'versions', name, 'tree');
const storeEntries = async (pool: BtrfsPool) =>
  (await readdir(join(pool.mountpoint, STORE, 'versions'))).sort();

async function listNames(pool: BtrfsPool): Promise<string[]> {
  const { code, stdout, stderr } = await deployOn(pool, ['list', '--json']);
  expect(code, stderr).toBe(0);
  return (JSON.parse(stdout) as { versions: { name: string }[] }).versions.map((version) => version.name);
}

async function randomFile(path: string, bytes: number): Promise<void> {
  const { randomBytes } = await import('node:crypto');
  await writeFile(path, randomBytes(bytes));
}

async function send(
  name: string,
  extra: string[],
): Promise<{ file: string; streamBytes: number; base: unknown }> {
  const file = join(work, `${name}.stream`);
  const result = await deployOn(sender, ['send', name, '-o', file, '--json', ...extra]);
  expect(result.code, result.stderr).toBe(0);
  const { streamBytes, base } = JSON.parse(result.stdout);
  return { file, streamBytes, base };
}

const receive = (file: string) =>
  deployOn(receiver, ['receive', file, '--verify-key', join(work, 'sender.pem')]);

/** Nothing of a refused stream may remain: no version, no staging directory, no stray subvolume. */
async function expectReceiverHolds(names: string[]): Promise<void> {
  expect(await storeEntries(receiver)).toEqual(names);
  expect((await subvolumePaths(receiver.mountpoint)).sort()).toEqual(
    names.map((name) => `deploy/versions/${name}/tree`),
  );
}

beforeAll(async () => {
  [sender, receiver] = await Promise.all([createBtrfsPool('deploy-a'), createBtrfsPool('deploy-b')]);
  work = join(sender.mountpoint, 'work');
  await mkdir(work);
  const source = join(sender.mountpoint, 'src');
  await createSubvolume(source);
  await mkdir(join(source, 'app/lib'), { recursive: true });
  for (let index = 0; index < 16; index++)
    await randomFile(join(source, 'app/lib', `part-${index}.bin`), 256 * 1024);
  await writeFile(join(source, 'app/start.sh'), '#!/bin/sh\necho v1\n', { mode: 0o755 });
  await symlink('lib/part-0.bin', join(source, 'app/first'));
  await link(join(source, 'app/start.sh'), join(source, 'app/start-again.sh'));
  const exported = await deployOn(sender, ['key', 'export']);
  expect(exported.code, exported.stderr).toBe(0);
  await writeFile(join(work, 'sender.pem'), exported.stdout);
}, 120_000);

afterAll(async () => {
  await Promise.all([sender?.remove(), receiver?.remove()]);
});

describe('deploy send | receive between two btrfs pools', () => {
  it('takes a read-only snapshot with a manifest', async () => {
    const { code, stdout, stderr } = await deployOn(sender, ['snapshot', 'v1', '--from', '/src', '--json']);
    expect(code, stderr).toBe(0);
    const manifest = JSON.parse(stdout);
    expect(manifest).toMatchObject({
      name: 'v1',
      parent: null,
      sizes: { files: 18, directories: 2, symlinks: 1 },
    });
    expect(manifest.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect((await deployOn(sender, ['snapshot', 'v1', '--from', '/src'])).stderr).toMatch(/already exists/);
    await expect(writeFile(join(versionTree(sender, 'v1'), 'new'), 'x')).rejects.toThrow(/read-only/);
  });

  it('sends a full stream that arrives with identical content', async () => {
    const { file, base } = await send('v1', []);
    expect(base).toBeNull();
    const result = await receive(file);
    expect(result.code, result.stderr).toBe(0);
    expect(await treeDigest(versionTree(receiver, 'v1'))).toEqual(
      await treeDigest(versionTree(sender, 'v1')),
    );
    expect(await listNames(receiver)).toEqual(['v1']);
  });

  it('picks the parent the receiver has and sends only what changed', async () => {
    const source = join(sender.mountpoint, 'src');
    await randomFile(join(source, 'app/lib/part-3.bin'), 256 * 1024);
    await appendFile(join(source, 'app/start.sh'), 'echo v2\n');
    await rm(join(source, 'app/lib/part-7.bin'));
    await writeFile(join(source, 'app/NEW'), 'added in v2\n');
    expect((await deployOn(sender, ['snapshot', 'v2', '--from', '/src'])).code).toBe(0);
    const receiverList = join(work, 'receiver-list.json');
    await writeFile(receiverList, (await deployOn(receiver, ['list', '--json'])).stdout);

    const full = await send('v2', []);
    const incremental = await send('v2', ['--auto-parent', '--receiver', receiverList]);
    expect(incremental.base).toMatchObject({ name: 'v1' });
    expect(incremental.streamBytes).toBeLessThan(full.streamBytes / 4);

    const result = await receive(incremental.file);
    expect(result.code, result.stderr).toBe(0);
    expect(await treeDigest(versionTree(receiver, 'v2'))).toEqual(
      await treeDigest(versionTree(sender, 'v2')),
    );
    expect(await treeDigest(versionTree(receiver, 'v1'))).toEqual(
      await treeDigest(versionTree(sender, 'v1')),
    );
    expect(await listNames(receiver)).toEqual(['v2', 'v1']);
    // A store directory reachable from here works as --receiver too, and there is then nothing to send.
    const again = await deployOn(sender, [
      'send',
      'v2',
      '--auto-parent',
      '--receiver',
      join(receiver.mountpoint, STORE),
      '-o',
      join(work, 'x'),
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has v2/);
  });

  describe('refused streams leave nothing behind', () => {
    let v3: string;

    beforeAll(async () => {
      await writeFile(join(sender.mountpoint, 'src/app/NEW'), 'changed in v3\n');
      expect((await deployOn(sender, ['snapshot', 'v3', '--from', '/src'])).code).toBe(0);
      v3 = (await send('v3', ['--parent', 'v2'])).file;
    });

    it('a flipped byte in the btrfs stream', async () => {
      const bytes = await readFile(v3);
      // Past the magic, the header length and the header is the first frame: its length, then its bytes of the
      // btrfs stream. Its middle byte is flipped (frames are as long as the reads that filled them, so a fixed
      // offset could land in the next frame's length instead).
      const firstFrame = 12 + bytes.readUInt32BE(8);
      const flipAt = firstFrame + 4 + Math.floor(bytes.readUInt32BE(firstFrame) / 2);
      bytes.writeUInt8(bytes.readUInt8(flipAt) ^ 0x01, flipAt);
      await writeFile(join(work, 'flipped'), bytes);
      const result = await receive(join(work, 'flipped'));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/the stream's SHA-256 is [0-9a-f]{64}, the signed trailer says/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      await expectReceiverHolds(['v1', 'v2']);
    });

    it('a truncated stream', async () => {
      const bytes = await readFile(v3);
      await writeFile(join(work, 'truncated'), bytes.subarray(0, bytes.length - 100));
      const result = await receive(join(work, 'truncated'));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/truncated/);
      await expectReceiverHolds(['v1', 'v2']);
    });

    it('a stream signed by a key that is not accepted, and one not signed at all', async () => {
      const other = generateKeyPairSync('ed25519')
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString();
      await writeFile(join(work, 'other.pem'), other);
      const wrongKey = await deployOn(receiver, ['receive', v3, '--verify-key', join(work, 'other.pem')]);
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.stderr).toMatch(/not accepted here/);
      // Without --verify-key only the receiver's own and trusted keys count: the sender's is neither.
      expect((await deployOn(receiver, ['receive', v3])).stderr).toMatch(/not accepted here/);

      const bytes = await readFile(v3);
      const headerLength = bytes.readUInt32BE(8);
      const { signature: _, ...header } = JSON.parse(bytes.subarray(12, 12 + headerLength).toString());
      const unsignedHeader = Buffer.from(JSON.stringify(header));
      const length = Buffer.alloc(4);
      length.writeUInt32BE(unsignedHeader.length);
      await writeFile(
        join(work, 'unsigned'),
        Buffer.concat([bytes.subarray(0, 8), length, unsignedHeader, bytes.subarray(12 + headerLength)]),
      );
      const unsigned = await receive(join(work, 'unsigned'));
      expect(unsigned.code).toBe(1);
      expect(unsigned.stderr).toMatch(/not signed/);
      await expectReceiverHolds(['v1', 'v2']);
    });

    it('a receive killed mid-stream: no visible version, and the next run removes its staging', async () => {
      const bytes = await readFile(join(work, 'v1.stream'));
      // v1 once more under a new name would be refused as a duplicate, so the receiver drops its v1 first.
      expect((await deployOn(receiver, ['prune', '--keep', '1'])).code).toBe(0);
      await expectReceiverHolds(['v2']);
      const child = spawn(
        process.execPath,
        [
          `${REPO}bin/op-dbus.js`,
          'deploy',
          '--root',
          receiver.mountpoint,
          '--store',
          STORE,
          'receive',
          '-',
          '--verify-key',
          join(work, 'sender.pem'),
        ],
        { stdio: ['pipe', 'ignore', 'pipe'] },
      );
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.on('error', () => {});
      child.stdin.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
      const versions = join(receiver.mountpoint, STORE, 'versions');
      const stagedTree = async () =>
        (await readdir(versions)).some(
          (entry) => entry.startsWith('.staging-') && existsSync(join(versions, entry, 'tree')),
        );
      for (let tries = 0; !(await stagedTree()); tries++) {
        if (tries > 600) throw new Error('the receive never started writing into staging');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      child.kill('SIGKILL');
      await exited;
      expect((await deployOn(receiver, ['status'])).stderr).toMatch(/removed 1 abandoned staging directory/);
      expect(await listNames(receiver)).toEqual(['v2']);
      await expectReceiverHolds(['v2']);
    });
  });

  it('prunes all but the newest versions', async () => {
    const { code, stdout } = await deployOn(sender, ['prune', '--keep', '2', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ removed: ['v1'], kept: ['v3', 'v2'] });
    expect(await listNames(sender)).toEqual(['v3', 'v2']);
  });
});
