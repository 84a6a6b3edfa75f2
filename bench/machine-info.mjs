// The machine a benchmark ran on, for the report: CPU, cores, memory, kernel, distribution, Node, load.
import { readFileSync } from 'node:fs';
import os from 'node:os';

function distribution() {
  try {
    const match = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    return match?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The 1-minute load average: other work on a 2-core machine shows up directly in the timings. */
export function loadAverage() {
  return Number(os.loadavg()[0].toFixed(2));
}

export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    distribution: distribution(),
    node: process.version,
  };
}
