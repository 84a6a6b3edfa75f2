import { describe, expect, it } from 'vitest';
import { formatRatio, formatSeconds, summarize, summarizeByName } from './stats.mjs';

describe('summarize', () => {
  it('takes the middle value of an odd count, unsorted input', () => {
    expect(summarize([900, 410, 450, 2000, 420])).toEqual({ median: 450, min: 410, max: 2000, runs: 5 });
  });

  it('averages the middle two of an even count', () => {
    expect(summarize([400, 500, 300, 600])).toEqual({ median: 450, min: 300, max: 600, runs: 4 });
  });

  it('handles a single sample', () => {
    expect(summarize([123.4])).toEqual({ median: 123.4, min: 123.4, max: 123.4, runs: 1 });
  });

  it('does not reorder the caller’s array', () => {
    const samples = [3, 1, 2];
    summarize(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses an empty list', () => {
    expect(() => summarize([])).toThrow(/no samples/);
  });
});

describe('formatSeconds', () => {
  it('rounds to hundredths of a second', () => {
    expect(formatSeconds(421.7)).toBe('0.42 s');
    expect(formatSeconds(3906)).toBe('3.91 s');
    expect(formatSeconds(0)).toBe('0.00 s');
  });
});

describe('formatRatio', () => {
  it('gives one decimal below 10× and none above', () => {
    expect(formatRatio(1100, 420)).toBe('2.6×');
    expect(formatRatio(3900, 300)).toBe('13×');
  });

  it('says n/a when our time is zero or missing', () => {
    expect(formatRatio(1000, 0)).toBe('n/a');
    expect(formatRatio(1000, undefined)).toBe('n/a');
  });
});

describe('summarizeByName', () => {
  it('summarizes each name over the runs that have it, skipping non-numbers', () => {
    const result = summarizeByName([
      { setup: 1600, services: 3100 },
      { setup: 1500, services: null },
      { setup: 1700 },
    ]);
    expect(result.setup).toEqual({ median: 1600, min: 1500, max: 1700, runs: 3 });
    expect(result.services).toEqual({ median: 3100, min: 3100, max: 3100, runs: 1 });
  });

  it('gives nothing for no runs', () => {
    expect(summarizeByName([])).toEqual({});
  });
});
