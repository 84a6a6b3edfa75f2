// The container a `deploy send` writes and a `deploy receive` reads, framed so it can be read front to back
// from a pipe (docs/deploy.md, "File format"):
//
//   "OPDDPLY1"  u32 length  header JSON (manifest, incremental base, signer key, signature)
//   { u32 length > 0  bytes of the raw `btrfs send` stream } …   u32 0
//   u32 length  trailer JSON (SHA-256 and length of the btrfs stream, signature)  "OPDDEND1"
//
// Lengths are big-endian. The header comes first so its signature is checked before anything is written;
// the trailer comes last because the stream's hash is known only once it has all gone by.

export const HEADER_MAGIC = Buffer.from('OPDDPLY1', 'latin1');
export const TRAILER_MAGIC = Buffer.from('OPDDEND1', 'latin1');
export const MAX_HEADER_BYTES = 1024 * 1024;
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;
export const MAX_TRAILER_BYTES = 64 * 1024;

export class StreamFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamFormatError';
  }
}

function u32(value: number): Buffer {
  const buffer = Buffer.allocUnsafe(4);
  buffer.writeUInt32BE(value, 0);
  return buffer;
}

export function encodeHeader(json: string): Buffer {
  const body = Buffer.from(json, 'utf8');
  if (body.length > MAX_HEADER_BYTES) throw new StreamFormatError('header is larger than 1 MiB');
  return Buffer.concat([HEADER_MAGIC, u32(body.length), body]);
}

/** The length prefix of one frame of btrfs stream bytes (the bytes themselves follow unchanged). */
export function framePrefix(length: number): Buffer {
  if (length <= 0 || length > MAX_FRAME_BYTES)
    throw new StreamFormatError(`frame length ${length} out of range`);
  return u32(length);
}

/** End of the btrfs stream, then the trailer. */
export function encodeEnd(trailerJson: string): Buffer {
  const body = Buffer.from(trailerJson, 'utf8');
  return Buffer.concat([u32(0), u32(body.length), body, TRAILER_MAGIC]);
}

export type StreamPart =
  | { kind: 'header'; bytes: Buffer }
  | { kind: 'data'; bytes: Buffer }
  | { kind: 'trailer'; bytes: Buffer };

type Field =
  | 'magic'
  | 'headerLength'
  | 'header'
  | 'frameLength'
  | 'frame'
  | 'trailerLength'
  | 'trailer'
  | 'end';

/**
 * Splits the container into its parts as bytes arrive. Frame bytes are handed on as slices of the input (no
 * copy); small fields are gathered across chunk boundaries. Any deviation is a StreamFormatError.
 */
export class StreamParser {
  private field: Field = 'magic';
  private needed = HEADER_MAGIC.length;
  private gathered: Buffer[] = [];
  private gatheredBytes = 0;
  private done = false;

  get complete(): boolean {
    return this.done;
  }

  push(chunk: Buffer): StreamPart[] {
    const parts: StreamPart[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.done) throw new StreamFormatError('unexpected bytes after the end of the stream');
      const take = Math.min(this.needed - this.gatheredBytes, chunk.length - offset);
      const piece = chunk.subarray(offset, offset + take);
      offset += take;
      if (this.field === 'frame') {
        parts.push({ kind: 'data', bytes: piece });
        this.gatheredBytes += take;
      } else {
        this.gathered.push(piece);
        this.gatheredBytes += take;
      }
      if (this.gatheredBytes === this.needed) this.completeField(parts);
    }
    return parts;
  }

  /** Throws unless the whole container, trailer included, has been read. */
  finish(): void {
    if (!this.done) throw new StreamFormatError(`the stream is truncated (it ends inside the ${this.field})`);
  }

  private completeField(parts: StreamPart[]): void {
    const bytes = this.gathered.length === 1 ? (this.gathered[0] as Buffer) : Buffer.concat(this.gathered);
    this.gathered = [];
    this.gatheredBytes = 0;
    const next = this.fieldAfter(bytes, parts);
    if (next === 'done') {
      this.done = true;
      return;
    }
    [this.field, this.needed] = next;
  }

  /** What comes after the field just completed (its bytes given), and how many bytes it has. */
  private fieldAfter(bytes: Buffer, parts: StreamPart[]): [Field, number] | 'done' {
    switch (this.field) {
      case 'magic':
        if (!bytes.equals(HEADER_MAGIC)) throw new StreamFormatError('not an op-dbus deployment stream');
        return ['headerLength', 4];
      case 'headerLength':
        return ['header', this.length(bytes, MAX_HEADER_BYTES, 'header')];
      case 'header':
        parts.push({ kind: 'header', bytes: Buffer.from(bytes) });
        return ['frameLength', 4];
      case 'frameLength':
        return bytes.readUInt32BE(0) === 0
          ? ['trailerLength', 4]
          : ['frame', this.length(bytes, MAX_FRAME_BYTES, 'frame')];
      case 'frame':
        return ['frameLength', 4];
      case 'trailerLength':
        return ['trailer', this.length(bytes, MAX_TRAILER_BYTES, 'trailer')];
      case 'trailer':
        parts.push({ kind: 'trailer', bytes: Buffer.from(bytes) });
        return ['end', TRAILER_MAGIC.length];
      case 'end':
        if (!bytes.equals(TRAILER_MAGIC)) throw new StreamFormatError('the end marker is missing or damaged');
        return 'done';
    }
  }

  private length(bytes: Buffer, max: number, what: string): number {
    const length = bytes.readUInt32BE(0);
    if (length < 1 || length > max)
      throw new StreamFormatError(`${what} length ${length} is out of range (damaged stream)`);
    return length;
  }
}
