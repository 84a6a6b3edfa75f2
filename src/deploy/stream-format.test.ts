import { describe, expect, it } from 'vitest';
import {
  encodeEnd,
  encodeHeader,
  framePrefix,
  MAX_FRAME_BYTES,
  StreamFormatError,
  StreamParser,
  type StreamPart,
} from './stream-format.js';

const payload = Buffer.from('btrfs-stream\0 pretend this is a send stream, long enough to span chunks');

function container(): Buffer {
  return Buffer.concat([
    encodeHeader('{"h":1}'),
    framePrefix(10),
    payload.subarray(0, 10),
    framePrefix(payload.length - 10),
    payload.subarray(10),
    encodeEnd('{"t":2}'),
  ]);
}

function parseInChunks(bytes: Buffer, chunkSize: number): StreamPart[] {
  const parser = new StreamParser();
  const parts: StreamPart[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize)
    parts.push(...parser.push(bytes.subarray(offset, offset + chunkSize)));
  parser.finish();
  return parts;
}

describe('deployment stream container', () => {
  it('gives back header, stream bytes and trailer whatever the chunk boundaries', () => {
    const bytes = container();
    for (const chunkSize of [1, 3, 7, 64, bytes.length]) {
      const parts = parseInChunks(bytes, chunkSize);
      expect(parts[0]).toEqual({ kind: 'header', bytes: Buffer.from('{"h":1}') });
      expect(parts[parts.length - 1]).toEqual({ kind: 'trailer', bytes: Buffer.from('{"t":2}') });
      const data = Buffer.concat(parts.filter((part) => part.kind === 'data').map((part) => part.bytes));
      expect(data.equals(payload)).toBe(true);
    }
  });

  it('refuses a truncated container, naming where it ends', () => {
    const bytes = container();
    for (const cut of [4, 15, 30, bytes.length - 1]) {
      expect(() => parseInChunks(bytes.subarray(0, cut), 5)).toThrow(/truncated/);
    }
  });

  it('refuses other files, damaged lengths and bytes after the end', () => {
    expect(() => parseInChunks(Buffer.from('btrfs-stream\0\0\0\0\0\0\0'), 4)).toThrow(
      /not an op-dbus deployment stream/,
    );
    const badLength = container();
    // The first frame length follows the magic (8), the header length (4) and the header (7).
    badLength.writeUInt32BE(MAX_FRAME_BYTES + 1, 19);
    expect(() => parseInChunks(badLength, 8)).toThrow(StreamFormatError);
    expect(() => parseInChunks(Buffer.concat([container(), Buffer.from('x')]), 8)).toThrow(/after the end/);
    const badEnd = container();
    badEnd.writeUInt8(badEnd.readUInt8(badEnd.length - 1) ^ 1, badEnd.length - 1);
    expect(() => parseInChunks(badEnd, 8)).toThrow(/end marker/);
  });

  it('never frames an empty or oversized chunk', () => {
    expect(() => framePrefix(0)).toThrow(StreamFormatError);
    expect(() => framePrefix(MAX_FRAME_BYTES + 1)).toThrow(StreamFormatError);
  });
});
