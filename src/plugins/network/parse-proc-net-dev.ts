// Reads the interface names out of /proc/PID/net/dev, the kernel's per-network-namespace device list.

/** Interface names in the order the kernel lists them; the two header lines and malformed lines are skipped. */
export function parseProcNetDevNames(text: string): string[] {
  const names: string[] = [];
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === -1 || line.includes('|')) continue;
    const name = line.slice(0, colon).trim();
    if (name !== '' && !/\s/.test(name)) names.push(name);
  }
  return names;
}
