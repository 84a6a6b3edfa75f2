// Parses what bench/shell-baseline.sh prints: `=== SECTION` blocks of tool output, then
// `=== timings` with each section's wall time in microseconds.

const HEADER = /^=== (\S+)$/;

/** { sections: { name: lines[] }, timingsMs: { name: ms } }; lines before the first header are ignored. */
export function parseBaselineOutput(text) {
  const sections = {};
  let current;
  for (const line of text.split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      current = header[1];
      sections[current] ??= [];
    } else if (current !== undefined) {
      sections[current].push(line);
    }
  }
  const timingsMs = {};
  for (const line of sections.timings ?? []) {
    const match = /^(\S+)\s+(\d+)\s*$/.exec(line);
    if (match) timingsMs[match[1]] = Number(match[2]) / 1000;
  }
  delete sections.timings;
  for (const name of Object.keys(sections)) {
    const lines = sections[name];
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  }
  return { sections, timingsMs };
}
