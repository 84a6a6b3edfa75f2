// Who sent a method call, as the bus driver vouches for it (GetConnectionUnixUser/ProcessID), asked once per
// connection: a bus never reuses a unique name, so an answer never goes stale and a bound on the entries is
// the only eviction needed.
import type { CallerInfo } from './service-types.js';

/** Asks the bus driver `member` (a GetConnectionUnix* method) about the connection `sender`. */
export type BusDriverQuery = (member: string, sender: string) => Promise<unknown>;

export const CALLER_CACHE_BOUND = 1024;

export class CallerLookup {
  private readonly known = new Map<string, Promise<CallerInfo>>();

  constructor(
    private readonly askBusDriver: BusDriverQuery,
    private readonly bound = CALLER_CACHE_BOUND,
  ) {}

  lookup(sender: string): Promise<CallerInfo> {
    const cached = this.known.get(sender);
    if (cached) return cached;
    const pending = this.fetch(sender);
    this.known.set(sender, pending);
    // A failed lookup (the bus busy, the caller gone) is not remembered: the next call asks again.
    pending.catch(() => this.known.delete(sender));
    // Maps iterate in insertion order, so the first key is the connection asked about longest ago.
    if (this.known.size > this.bound) this.known.delete(this.known.keys().next().value as string);
    return pending;
  }

  private async fetch(sender: string): Promise<CallerInfo> {
    const [uid, pid] = await Promise.all([
      this.askBusDriver('GetConnectionUnixUser', sender),
      // Only the uid decides anything; a bus that cannot tell the pid still identifies the caller.
      this.askBusDriver('GetConnectionUnixProcessID', sender).catch(() => undefined),
    ]);
    if (typeof uid !== 'number') throw new Error(`the bus gave no uid for ${sender}`);
    // 0 is what the bus says for a caller in another PID namespace: no PID known.
    return typeof pid === 'number' && pid > 0 ? { sender, uid, pid } : { sender, uid };
  }
}
