// `op-dbus deploy send` and `deploy receive`: the container goes to a file (written beside it, then renamed)
// or to stdout, and comes from a file or stdin, so `deploy send -o - | deploy receive -` works as a pipe.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { Command, Option } from '@commander-js/extra-typings';
import { acceptedKeys, machineSigningKey } from '../deploy/keys.js';
import { chooseAutoParent } from '../deploy/parent.js';
import { receiveStream } from '../deploy/receive.js';
import { loadReceiverVersions } from '../deploy/receiver-list.js';
import { sendVersion } from '../deploy/send.js';
import type { DeployStore, StoredVersion } from '../deploy/store.js';
import { deployFlagsOf, recordedStep, withDeployContext } from './deploy-context.js';
import { byteProgress, formatBytes } from './deploy-progress.js';
import { UsageError } from './errors.js';
import { outputTargetOf, toJsonText } from './output.js';

interface StreamOutput {
  stream: Writable;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

async function openStreamOutput(path: string): Promise<StreamOutput> {
  if (path === '-') {
    if (process.stdout.isTTY)
      throw new UsageError('refusing to write a binary stream to a terminal', 'give -o FILE, or pipe it');
    return { stream: process.stdout, commit: async () => {}, abort: async () => {} };
  }
  if ((await outputTargetOf(path)) === 'device') {
    const device = createWriteStream(path, { flags: 'w' });
    const finished = () => new Promise<void>((resolve) => device.end(() => resolve()));
    return { stream: device, commit: finished, abort: async () => void device.destroy() };
  }
  // Written beside the target and renamed at the end, so an interrupted send never leaves a partial FILE.
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const stream = createWriteStream(temporary, { flags: 'wx', mode: 0o644 });
  const closed = () =>
    new Promise<void>((resolve) => {
      if (stream.closed) resolve();
      else stream.end(() => resolve());
    });
  return {
    stream,
    commit: async () => {
      await closed();
      await rename(temporary, path);
    },
    abort: async () => {
      stream.destroy();
      await rm(temporary, { force: true });
    },
  };
}

async function chooseBase(
  store: DeployStore,
  version: StoredVersion,
  options: { parent?: string; autoParent?: boolean; receiver?: string },
): Promise<{ base: StoredVersion | undefined; note?: string }> {
  if (options.parent !== undefined) {
    if (options.parent === version.name) throw new UsageError('--parent must name another version');
    return { base: await store.version(options.parent) };
  }
  if (!options.autoParent) return { base: undefined };
  if (options.receiver === undefined)
    throw new UsageError(
      '--auto-parent needs --receiver: what the receiver holds',
      'give the output of `op-dbus deploy list --json` run on the receiver, or its store directory',
    );
  const { versions } = await store.versions();
  const choice = chooseAutoParent(
    version.manifest,
    versions.map((stored) => stored.manifest),
    await loadReceiverVersions(options.receiver),
  );
  if (choice.kind === 'already-there')
    throw new UsageError(`the receiver already has ${version.name}`, 'nothing to send');
  if (choice.kind === 'full') return { base: undefined, note: `sending a full stream: ${choice.reason}` };
  return { base: versions.find((stored) => stored.name === choice.base.name) };
}

export function sendCommand() {
  return new Command('send')
    .description(
      'write a version as a signed stream: full, or incremental against a version the receiver has',
    )
    .argument('<name>', 'the version to send')
    .addOption(new Option('--parent <version>', 'incremental against this version').conflicts('autoParent'))
    .option('--auto-parent', 'incremental against the newest version the receiver has (needs --receiver)')
    .option('--receiver <list>', 'what the receiver has: `deploy list --json` output, or its store directory')
    .requiredOption('-o, --output <file>', 'where to write the stream (- for stdout)')
    .option('--json', 'print the result as JSON')
    .action(async (name, options, command) => {
      await withDeployContext(deployFlagsOf(command), { create: false }, async (context) => {
        const version = await context.store.version(name);
        const { base, note } = await chooseBase(context.store, version, options);
        if (note) process.stderr.write(`op-dbus: ${note}\n`);
        const key = await machineSigningKey(context.machine);
        const output = await openStreamOutput(options.output);
        const progress = byteProgress(`sending ${name}`, undefined);
        const result = await recordedStep(
          context,
          'deploy-send',
          { name, output: options.output },
          async () => {
            try {
              const sent = await sendVersion(version, base, key, output.stream, (bytes) =>
                progress.advance(bytes),
              );
              await output.commit();
              return {
                value: sent,
                step: { result: 'ok', before: base?.manifest, after: version.manifest, details: { ...sent } },
              };
            } catch (error) {
              await output.abort();
              throw error;
            } finally {
              progress.done();
            }
          },
        );
        const summary = `✓ Sent ${name}${result.base ? ` (incremental from ${result.base.name})` : ' (full)'}: ${formatBytes(result.streamBytes)}, sha256 ${result.streamSha256}\n`;
        // With -o -, stdout carries the stream: the summary goes to stderr.
        const out = options.output === '-' ? process.stderr : process.stdout;
        out.write(options.json ? toJsonText(result) : summary);
      });
    });
}

async function openStreamInput(path: string): Promise<{ stream: Readable; size: number | undefined }> {
  if (path === '-') return { stream: process.stdin, size: undefined };
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  return { stream: createReadStream(path, { highWaterMark: 1024 * 1024 }), size };
}

export function receiveCommand() {
  return new Command('receive')
    .description(
      'verify a signed stream and add it to the store as a new version (nothing is kept unless it verifies)',
    )
    .argument('<file>', 'the stream (- for stdin)')
    .option(
      '--verify-key <pem>',
      'accept only streams signed by this public key (repeatable; default: the trusted keys and the own key)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--json', 'print the result as JSON')
    .action(async (file, options, command) => {
      await withDeployContext(deployFlagsOf(command), { create: true }, async (context) => {
        const keys = await acceptedKeys(context.machine, options.verifyKey ?? []);
        const input = await openStreamInput(file);
        const progress = byteProgress('receiving', input.size);
        try {
          const result = await recordedStep(context, 'deploy-receive', { input: file }, async () => {
            const received = await receiveStream(context.store, input.stream, keys, (bytes) =>
              progress.advance(bytes),
            );
            const { manifest, ...rest } = received;
            return {
              value: received,
              step: { result: 'ok', after: manifest, details: { name: manifest.name, ...rest } },
            };
          });
          progress.done();
          const { name } = result.manifest;
          process.stdout.write(
            options.json
              ? toJsonText(result)
              : `✓ Received ${name}${result.base ? ` (incremental from ${result.base.name})` : ' (full)'}: ${formatBytes(result.streamBytes)}, signed by ${result.fingerprint}\n`,
          );
        } finally {
          progress.done();
          if (input.stream !== process.stdin) input.stream.destroy();
        }
      });
    });
}
