// Writing a stream with a window of bytes in flight. Waiting for every write to flush (the usual 'drain'
// rhythm, with a 16 KiB high-water mark) makes the three processes of `btrfs send | op-dbus | btrfs receive`
// take turns; with a few MiB in flight, hashing and framing here overlap with the work on either side.
import type { Writable } from 'node:stream';

export const DEFAULT_WINDOW_BYTES = 8 * 1024 * 1024;

interface InFlight {
  bytes: number;
  flushed: Promise<void>;
}

export class WriteWindow {
  private readonly inFlight: InFlight[] = [];
  private inFlightBytes = 0;
  /** The first write error (EPIPE when the reader went away); later writes are dropped. */
  error: Error | undefined;

  constructor(
    private readonly stream: Writable,
    private readonly windowBytes = DEFAULT_WINDOW_BYTES,
  ) {}

  /** Queues `chunks` as one write (a single writev); resolves once the bytes in flight are back under the window. */
  async write(...chunks: Buffer[]): Promise<void> {
    if (this.error) return;
    let bytes = 0;
    const flushed = new Promise<void>((resolve) => {
      const done = (error?: Error | null) => {
        if (error && !this.error) this.error = error;
        resolve();
      };
      this.stream.cork();
      chunks.forEach((chunk, index) => {
        bytes += chunk.length;
        this.stream.write(chunk, index === chunks.length - 1 ? done : undefined);
      });
      this.stream.uncork();
    });
    this.inFlight.push({ bytes, flushed });
    this.inFlightBytes += bytes;
    while (this.inFlightBytes > this.windowBytes) {
      const oldest = this.inFlight.shift() as InFlight;
      this.inFlightBytes -= oldest.bytes;
      await oldest.flushed;
    }
  }

  /** Resolves when everything written so far has been flushed (or failed: see `error`). */
  async flushed(): Promise<void> {
    await Promise.all(this.inFlight.map((entry) => entry.flushed));
    this.inFlight.length = 0;
    this.inFlightBytes = 0;
  }
}
