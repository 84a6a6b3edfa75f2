// A progress line for deployment streams on stderr (bytes, rate, percent when the size is known), shown only
// on an interactive terminal so piped and scripted runs stay clean.
import pc from 'picocolors';

export interface ByteProgress {
  advance(bytes: number): void;
  done(): void;
}

const REDRAW_EVERY_MS = 200;

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export function byteProgress(
  label: string,
  totalBytes: number | undefined,
  stream: NodeJS.WriteStream = process.stderr,
): ByteProgress {
  if (!stream.isTTY) return { advance: () => {}, done: () => {} };
  const started = Date.now();
  let bytes = 0;
  let drawn = 0;
  let finished = false;
  const draw = () => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const percent = totalBytes ? ` ${Math.min(100, Math.floor((bytes / totalBytes) * 100))}%` : '';
    stream.write(
      `\r\x1b[2K${pc.cyan(label)} ${formatBytes(bytes)}${percent} ${formatBytes(bytes / seconds)}/s`,
    );
  };
  return {
    advance(count) {
      bytes += count;
      const now = Date.now();
      if (now - drawn >= REDRAW_EVERY_MS) {
        drawn = now;
        draw();
      }
    },
    done() {
      if (finished) return;
      finished = true;
      stream.write('\r\x1b[2K');
    },
  };
}
