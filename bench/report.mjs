// Text layout of the benchmark's results: aligned columns of timings, ratios and counts. Pure: numbers
// in, strings out.
import { COUNT_LABELS } from './comparable-counts.mjs';
import { formatRatio, formatSeconds } from './stats.mjs';

/** Left-aligned first column, right-aligned others, two spaces apart. */
export function alignColumns(rows) {
  const widths = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, String(cell).length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Rows of the timing table: each contender's median, min, max and its ratio to op-dbus. */
export function timingRows(results, oursKey) {
  const ours = results.find((result) => result.key === oursKey)?.summary.median;
  return [
    ['', 'median', 'min', 'max', 'vs op-dbus'],
    ...results.map(({ key, label, summary }) => [
      label,
      formatSeconds(summary.median),
      formatSeconds(summary.min),
      formatSeconds(summary.max),
      key === oursKey ? '1×' : formatRatio(summary.median, ours),
    ]),
  ];
}

/** "op-dbus 0.42 s, shell 1.10 s (2.6×), ansible 3.90 s (9.3×)" */
export function ratioSentence(results, oursKey) {
  const ours = results.find((result) => result.key === oursKey)?.summary.median;
  return results
    .map(({ key, summary }) =>
      key === oursKey
        ? `${key} ${formatSeconds(summary.median)}`
        : `${key} ${formatSeconds(summary.median)} (${formatRatio(summary.median, ours)})`,
    )
    .join(', ');
}

/** Rows of the "what each side gathered" table; a side that does not gather an item shows "–". */
export function countRows(countsByContender) {
  const names = Object.keys(countsByContender);
  return [
    ['', ...names],
    ...Object.entries(COUNT_LABELS).map(([key, label]) => [
      label,
      ...names.map((name) => countsByContender[name]?.[key] ?? '–'),
    ]),
  ];
}
