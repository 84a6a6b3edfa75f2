export interface PrivateOvsdbServer {
  dir: string;
  /** `unix:PATH` of its socket. */
  endpoint: string;
  /** The database file. */
  db: string;
  readonly pid: number;
  /** Stops the server and starts it again on the same database and socket (connections drop). */
  restart(): void;
  /** Stops the server and removes its directory. */
  stop(): void;
}

/** `managerRemotes`: also listen on the remotes set in the Manager table (as Debian's service does). */
export function startOvsdbServer(options?: {
  tcpPort?: number;
  managerRemotes?: boolean;
}): PrivateOvsdbServer;
export function ovsVsctl(endpoint: string, ...args: string[]): string;
