// vitest global setup for the integration suite: brings the real testbed up (as root) and, if this run
// started it, tears it down afterwards (set OPDBUS_TESTBED_KEEP=1 to keep it for the next run).
import { requireRootMessage } from './require-root.mjs';
import { acquireTestbed } from './testbed.mjs';

export default function setup(): () => void {
  const problem = requireRootMessage();
  if (problem) throw new Error(problem);
  return acquireTestbed((line) => process.stderr.write(`${line}\n`)).release;
}
