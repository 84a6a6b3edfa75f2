// `deploy send`: a version as one signed container (stream-format.ts), the btrfs stream hashed on its way
// through, so the whole thing is one pass over the data. The caller ends (and commits) the output.
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { btrfsMessage, childOutcome, spawnSend } from './btrfs.js';
import { DeployError } from './errors.js';
import type { SigningKey } from './keys.js';
import type { StoredVersion } from './store.js';
import { encodeEnd, encodeHeader, framePrefix, MAX_FRAME_BYTES } from './stream-format.js';
import { sha256, signedHeaderJson, signedTrailerJson } from './stream-signature.js';
import { WriteWindow } from './write-window.js';

export interface SendResult {
  name: string;
  base: { name: string; uuid: string } | null;
  streamBytes: number;
  streamSha256: string;
  fingerprint: string;
}

export async function sendVersion(
  version: StoredVersion,
  base: StoredVersion | undefined,
  key: SigningKey,
  output: Writable,
  onBytes: (bytes: number) => void,
): Promise<SendResult> {
  const baseRef = base ? { name: base.name, uuid: base.manifest.uuid } : null;
  const headerJson = signedHeaderJson(version.manifest, baseRef, key);
  const headerSha256 = sha256(Buffer.from(headerJson, 'utf8'));
  const child = spawnSend(version.treeHostPath, base?.treeHostPath);
  const outcome = childOutcome(child);
  // Awaited below; until then a failure to start must not count as an unhandled rejection.
  outcome.catch(() => undefined);
  const hash = createHash('sha256');
  let streamBytes = 0;
  let streamSha256 = '';

  const window = new WriteWindow(output);
  // A reader that went away (EPIPE) shows up in the window's error; unheard, the event would crash.
  output.on('error', () => {});
  const writeFailed = () => new DeployError(`cannot write the stream: ${window.error?.message}`);
  try {
    await window.write(encodeHeader(headerJson));
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      for (let offset = 0; offset < chunk.length; offset += MAX_FRAME_BYTES) {
        const frame = chunk.subarray(offset, offset + MAX_FRAME_BYTES);
        await window.write(framePrefix(frame.length), frame);
      }
      // Hashed after it was handed on, so the reader works on it meanwhile.
      hash.update(chunk);
      streamBytes += chunk.length;
      onBytes(chunk.length);
      if (window.error) throw writeFailed();
    }
    const { code, signal, stderr } = await outcome;
    if (code !== 0)
      throw new DeployError(
        `btrfs send of ${version.name} failed (${signal ?? `exit ${code}`}): ${btrfsMessage(stderr)}`,
      );
    streamSha256 = hash.digest('hex');
    await window.write(encodeEnd(signedTrailerJson({ headerSha256, streamSha256, streamBytes }, key)));
    await window.flushed();
    if (window.error) throw writeFailed();
  } finally {
    // Stopped early (the reader went away, or an error): btrfs send must not be left writing.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await outcome.catch(() => undefined);
  }
  return {
    name: version.name,
    base: baseRef,
    streamBytes,
    streamSha256,
    fingerprint: key.publicKey.fingerprint,
  };
}
