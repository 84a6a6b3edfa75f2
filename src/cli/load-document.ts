// Reading a MachineState document a user gives on the command line: size-bounded, parsed, its apiVersion
// checked first, then the whole schema and integrity; every problem names the JSON path.
import { readFile, stat } from 'node:fs/promises';
import { plugins } from '../plugins/registry.js';
import { validateDocument } from '../state/document.js';
import { API_VERSION, buildMachineStateSchema, type MachineState } from '../state/schema.js';
import { UsageError } from './errors.js';

/** Captures of large machines reach a few MiB; anything this big is not one. */
export const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

let schema: ReturnType<typeof buildMachineStateSchema> | undefined;

async function readSource(path: string): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin) {
      size += (chunk as Buffer).length;
      if (size > MAX_DOCUMENT_BYTES)
        throw new UsageError(`standard input is larger than ${MAX_DOCUMENT_BYTES} bytes`);
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw new UsageError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  if (!info.isFile()) throw new UsageError(`${path} is not a file`);
  if (info.size > MAX_DOCUMENT_BYTES)
    throw new UsageError(
      `${path} is ${info.size} bytes, more than a MachineState document may be (${MAX_DOCUMENT_BYTES})`,
    );
  return readFile(path, 'utf8');
}

/** Parses and validates a capture; throws a UsageError naming the file and the JSON path of each problem. */
export function parseStateDocument(text: string, source: string): MachineState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source} is not JSON: ${(error as Error).message}`);
  }
  const apiVersion = (value as { apiVersion?: unknown } | null)?.apiVersion;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new UsageError(`${source}: $: a MachineState document is a JSON object`);
  if (apiVersion !== API_VERSION)
    throw new UsageError(
      `${source}: $.apiVersion: ${JSON.stringify(apiVersion) ?? 'missing'} is not a version this op-dbus reads (${API_VERSION})`,
    );
  schema ??= buildMachineStateSchema(plugins);
  try {
    return validateDocument(schema, value, source);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export async function loadStateDocument(path: string): Promise<MachineState> {
  const source = path === '-' ? 'standard input' : path;
  return parseStateDocument(await readSource(path), source);
}
