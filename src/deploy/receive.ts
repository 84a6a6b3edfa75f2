// `deploy receive`: checks the header's signature before anything is written, then feeds the btrfs stream to
// `btrfs receive` in a hidden staging directory while hashing it on the same pass. The version becomes
// visible (one rename) only after the signed trailer matched the hash and length actually read; otherwise,
// and on any failure, the staging directory is deleted. A run killed outright leaves only a staging
// directory, which the next deploy command removes.
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { btrfsMessage, type ChildOutcome, childOutcome, showSubvolume, spawnReceive } from './btrfs.js';
import { DeployError } from './errors.js';
import type { PublicKey } from './keys.js';
import { TREE_NAME } from './layout.js';
import type { Manifest } from './manifest.js';
import type { DeployStore, Staging } from './store.js';
import { StreamParser, type StreamPart } from './stream-format.js';
import { type StreamHeader, sha256, verifyHeader, verifyTrailer } from './stream-signature.js';
import { WriteWindow } from './write-window.js';

export interface ReceiveResult {
  manifest: Manifest;
  base: StreamHeader['base'];
  streamBytes: number;
  streamSha256: string;
  fingerprint: string;
}

/** Reads the input up to and including the header; returns the header and what followed it in the last chunk. */
async function readHeader(
  chunks: AsyncIterator<Buffer>,
  parser: StreamParser,
): Promise<{ headerBytes: Buffer; rest: StreamPart[] }> {
  for (;;) {
    const next = await chunks.next();
    if (next.done) {
      parser.finish();
      throw new DeployError('the stream ended before its header');
    }
    const parts = parser.push(next.value);
    const index = parts.findIndex((part) => part.kind === 'header');
    if (index >= 0) return { headerBytes: (parts[index] as StreamPart).bytes, rest: parts.slice(index + 1) };
  }
}

async function checkReceivable(store: DeployStore, header: StreamHeader): Promise<void> {
  const { name } = header.manifest;
  if (await store.hasVersion(name))
    throw new DeployError(`version "${name}" already exists in ${store.path}`, 'nothing to receive');
  if (header.base === null) return;
  const { versions } = await store.versions();
  if (!versions.some((version) => version.manifest.uuid === header.base?.uuid))
    throw new DeployError(
      `${name} is an incremental stream based on ${header.base.name} (${header.base.uuid}), which ${store.path} does not have`,
      'send a full stream, or pick a base this store has (`deploy send --auto-parent --receiver …`)',
    );
}

export async function receiveStream(
  store: DeployStore,
  input: Readable,
  accepted: readonly PublicKey[],
  onBytes: (bytes: number) => void,
): Promise<ReceiveResult> {
  const parser = new StreamParser();
  const chunks = (input as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const { headerBytes, rest } = await readHeader(chunks, parser);
  const { header, signer } = verifyHeader(headerBytes, accepted);
  await checkReceivable(store, header);

  const staging = await store.stage();
  let child: ChildProcess | undefined;
  try {
    child = spawnReceive(staging.hostPath);
    const outcome = childOutcome(child);
    outcome.catch(() => undefined);
    const feed = new ReceiveFeed(child, outcome, onBytes);
    let trailerBytes: Buffer | undefined;
    const take = async (parts: StreamPart[]) => {
      for (const part of parts) {
        if (part.kind === 'data') await feed.write(part.bytes);
        else if (part.kind === 'trailer') trailerBytes = part.bytes;
      }
    };
    await take(rest);
    for (let next = await chunks.next(); !next.done; next = await chunks.next())
      await take(parser.push(next.value));
    parser.finish();
    const observed = { headerSha256: sha256(headerBytes), ...feed.totals() };
    verifyTrailer(trailerBytes as Buffer, signer, observed);
    await feed.finish(header.manifest.name);
    await checkReceivedTree(staging, header.manifest);
    await staging.writeManifest(header.manifest);
    await store.publish(staging, header.manifest.name);
    return { manifest: header.manifest, base: header.base, ...observed, fingerprint: signer.fingerprint };
  } catch (error) {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await staging.discard();
    throw error;
  }
}

/** The received tree must be exactly what the header promised: one read-only subvolume with its identity. */
async function checkReceivedTree(staging: Staging, manifest: Manifest): Promise<void> {
  const entries = await readdir(staging.hostPath);
  if (entries.length !== 1 || entries[0] !== TREE_NAME)
    throw new DeployError(
      `the stream created ${JSON.stringify(entries)} instead of one "${TREE_NAME}" subvolume`,
    );
  const info = await showSubvolume(staging.treeHostPath);
  if (!info.readOnly || info.receivedUuid !== manifest.uuid)
    throw new DeployError(
      `the received tree is not the one in the manifest (received UUID ${info.receivedUuid ?? 'none'}, manifest ${manifest.uuid})`,
    );
}

/**
 * Feeds stream bytes to `btrfs receive` and to the hash. Once btrfs receive has given up, the rest is only
 * hashed: the trailer check then says whether the stream was damaged, a better diagnosis than btrfs's own.
 */
class ReceiveFeed {
  private readonly hash = createHash('sha256');
  private readonly window: WriteWindow;
  private bytes = 0;

  constructor(
    private readonly child: ChildProcess,
    private readonly outcome: Promise<ChildOutcome>,
    private readonly onBytes: (bytes: number) => void,
  ) {
    const stdin = child.stdin as NonNullable<ChildProcess['stdin']>;
    // A write into a pipe btrfs receive closed fails with EPIPE: the window keeps it, this keeps it quiet.
    stdin.on('error', () => {});
    this.window = new WriteWindow(stdin);
  }

  async write(bytes: Buffer): Promise<void> {
    // Written first, hashed while btrfs receive works on it.
    await this.window.write(bytes);
    this.hash.update(bytes);
    this.bytes += bytes.length;
    this.onBytes(bytes.length);
  }

  totals(): { streamSha256: string; streamBytes: number } {
    return { streamSha256: this.hash.digest('hex'), streamBytes: this.bytes };
  }

  async finish(name: string): Promise<void> {
    await this.window.flushed();
    this.child.stdin?.end();
    const { code, signal, stderr } = await this.outcome;
    if (code !== 0 || this.window.error)
      throw new DeployError(
        `btrfs receive of ${name} failed (${signal ?? `exit ${code}`}): ${btrfsMessage(stderr)}`,
        'the stream is damaged or its base differs from the one in this store; nothing was kept',
      );
  }
}
