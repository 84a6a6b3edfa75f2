// Splits the line-oriented kernel configuration formats (sysctl.d, modules-load.d, modprobe.d) into the
// lines that carry settings, keeping line numbers so problems can point at the file position.

export interface ConfLine {
  /** 1-based number of the physical line where this setting starts. */
  line: number;
  /** The setting with surrounding whitespace removed (continuations already joined). */
  text: string;
}

export interface ConfProblem {
  line: number;
  text: string;
  reason: string;
}

export interface ConfLineOptions {
  /** Characters that start a comment when they are the first non-blank character of a line. */
  commentChars: string;
  /** Whether a trailing backslash joins the next line (kmod does, systemd's sysctl.d does not). */
  continuation: boolean;
}

export function meaningfulLines(text: string, options: ConfLineOptions): ConfLine[] {
  const lines: ConfLine[] = [];
  // kmod drops the backslash and the newline and joins the raw text, so the next line's indentation stays.
  let pending: { line: number; raw: string } | undefined;
  const physicalLines = text.split(/\r?\n/);
  for (const [index, physical] of physicalLines.entries()) {
    const raw = pending ? pending.raw + physical : physical;
    const line = pending?.line ?? index + 1;
    pending = undefined;
    const trimmed = raw.trim();
    if (trimmed === '' || options.commentChars.includes(trimmed[0] as string)) continue;
    if (options.continuation && trimmed.endsWith('\\')) {
      pending = { line, raw: raw.trimEnd().slice(0, -1) };
      continue;
    }
    lines.push({ line, text: trimmed });
  }
  if (pending?.raw.trim()) lines.push({ line: pending.line, text: pending.raw.trim() });
  return lines;
}
