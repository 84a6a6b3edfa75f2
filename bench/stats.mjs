// Summaries of repeated timings for the benchmark: median, min and max, and how they read in a report.

/** Median, min and max of a list of milliseconds (the median of an even count is the mean of the middle two). */
export function summarize(samples) {
  if (samples.length === 0) throw new Error('no samples to summarize');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

/** Milliseconds as seconds with two decimals: 421.7 → "0.42 s". */
export function formatSeconds(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** How many times slower `other` is than `ours`: (1100, 420) → "2.6×". */
export function formatRatio(other, ours) {
  if (!(ours > 0)) return 'n/a';
  const ratio = other / ours;
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1)}×`;
}

/** Summaries per name across runs: [{ a: 1, b: 5 }, { a: 3 }] → { a: summary of [1, 3], b: summary of [5] }. */
export function summarizeByName(runs) {
  const samples = new Map();
  for (const run of runs) {
    for (const [name, ms] of Object.entries(run)) {
      if (typeof ms !== 'number') continue;
      if (!samples.has(name)) samples.set(name, []);
      samples.get(name).push(ms);
    }
  }
  return Object.fromEntries([...samples].map(([name, list]) => [name, summarize(list)]));
}
