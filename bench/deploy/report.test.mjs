import { describe, expect, it } from 'vitest';
import { renderRows, throughputRows } from './report.mjs';

describe('deploy benchmark report', () => {
  it('turns median times into MB/s and a throughput ratio against raw btrfs', () => {
    const rows = throughputRows(
      { full: { raw: [1000, 1200, 1100], opdbus: [1250, 1100, 1300] } },
      { full: 1_100_000_000 },
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      mode: 'full',
      rawMedianMs: 1100,
      opdbusMedianMs: 1250,
      ratio: 0.88,
      runs: 3,
    });
    expect(rows[0].rawMBps).toBeCloseTo(1000);
    expect(rows[0].opdbusMBps).toBeCloseTo(880);
    expect(renderRows(rows)).toContain('| full | 1049 MiB | 1.10 s, 1000 MB/s | 1.25 s, 880 MB/s | 0.88× |');
  });
});
