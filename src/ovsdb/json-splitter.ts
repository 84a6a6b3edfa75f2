// Splits a stream of concatenated JSON texts (RFC 7047 §3: no delimiter between messages) into whole texts,
// by tracking nesting and strings as characters arrive — a message may end mid-chunk or span many chunks.

/** Refuses a peer that sends an endless value instead of letting the buffer grow without bound. */
export const MAX_OVSDB_MESSAGE_CHARS = 64 * 1024 * 1024;

export class JsonTextSplitter {
  private buffer = '';
  /** Where scanning resumes in `buffer` (everything before it has been classified already). */
  private scanned = 0;
  private start = -1;
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly maxChars = MAX_OVSDB_MESSAGE_CHARS) {}

  /** Feeds decoded text; returns every JSON text completed by it, in order. */
  push(chunk: string): string[] {
    this.buffer += chunk;
    const texts: string[] = [];
    let i = this.scanned;
    for (; i < this.buffer.length; i++) {
      const ch = this.buffer.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === 0x5c /* \ */) this.escaped = true;
        else if (ch === 0x22 /* " */) this.inString = false;
        continue;
      }
      if (ch === 0x22) {
        this.inString = true;
      } else if (ch === 0x7b /* { */ || ch === 0x5b /* [ */) {
        if (this.depth === 0) this.start = i;
        this.depth++;
      } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
        if (this.depth === 0) throw new SyntaxError(`unexpected '${this.buffer[i]}' between OVSDB messages`);
        this.depth--;
        if (this.depth === 0) texts.push(this.buffer.slice(this.start, i + 1));
      } else if (this.depth === 0 && !isJsonWhitespace(ch)) {
        throw new SyntaxError(
          `unexpected '${this.buffer[i]}' between OVSDB messages (messages are JSON objects)`,
        );
      }
    }
    if (this.depth === 0) {
      this.buffer = '';
      this.scanned = 0;
    } else {
      // Keep only the unfinished message; rebase the scan position onto the shortened buffer.
      this.buffer = this.buffer.slice(this.start);
      this.scanned = i - this.start;
      this.start = 0;
      if (this.buffer.length > this.maxChars) {
        throw new RangeError(`an OVSDB message exceeds ${this.maxChars} characters`);
      }
    }
    return texts;
  }

  /** Forgets a partial message (after the connection it came on is gone). */
  reset(): void {
    this.buffer = '';
    this.scanned = 0;
    this.start = -1;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
  }
}

function isJsonWhitespace(ch: number): boolean {
  return ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09;
}
