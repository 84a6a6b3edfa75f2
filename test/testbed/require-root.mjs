// The integration suite boots real systemd containers, which needs root. Without it, say so in one line
// (run directly as the preflight of `npm run test:integration`; imported by the vitest global setup).
export function requireRootMessage() {
  if (process.getuid?.() === 0) return undefined;
  return 'integration tests need root (they boot real systemd containers with systemd-nspawn): run `sudo npm test`, or `npm run test:unit` for the rest';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problem = requireRootMessage();
  if (problem) {
    process.stderr.write(`op-dbus: ${problem}\n`);
    process.exit(1);
  }
}
