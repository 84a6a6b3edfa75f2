// The deploy benchmark's report: MB/s of each contender and op-dbus's throughput as a fraction of raw btrfs.
import { summarize } from '../stats.mjs';

/** `samples`: { full: { raw: [ms…], opdbus: [ms…] }, incremental: {…} }; `bytes`: stream bytes per mode. */
export function throughputRows(samples, bytes) {
  return Object.entries(samples).map(([mode, byContender]) => {
    const raw = summarize(byContender.raw);
    const opdbus = summarize(byContender.opdbus);
    const mbPerSecond = (ms) => bytes[mode] / 1e6 / (ms / 1000);
    return {
      mode,
      streamBytes: bytes[mode],
      rawMedianMs: raw.median,
      opdbusMedianMs: opdbus.median,
      rawMBps: mbPerSecond(raw.median),
      opdbusMBps: mbPerSecond(opdbus.median),
      // Same bytes in both, so the throughput ratio is the inverse ratio of the times.
      ratio: raw.median / opdbus.median,
      runs: raw.runs,
    };
  });
}

export function renderRows(rows) {
  const lines = [
    '| stream | bytes | raw btrfs send \\| receive | op-dbus deploy send \\| receive | op-dbus / raw |',
  ];
  lines.push('| --- | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    const mib = (row.streamBytes / 2 ** 20).toFixed(0);
    const cell = (ms, mbps) => `${(ms / 1000).toFixed(2)} s, ${mbps.toFixed(0)} MB/s`;
    lines.push(
      `| ${row.mode} | ${mib} MiB | ${cell(row.rawMedianMs, row.rawMBps)} | ${cell(row.opdbusMedianMs, row.opdbusMBps)} | ${row.ratio.toFixed(2)}× |`,
    );
  }
  return lines.join('\n');
}
