export interface PrivateOvsdbServer {
  dir: string;
  /** `unix:PATH` of its socket. */
  endpoint: string;
  /** The database file. */
  db: string;
  readonly pid: number;
  /** With `vswitchd`: the network namespace its ovs-vswitchd (and every device it makes) lives in. */
  netns: string | undefined;
  /** With `vswitchd`: its process. */
  vswitchdPid: number | undefined;
  /** Stops the server and starts it again on the same database and socket (connections drop). */
  restart(): void;
  /** Stops the server and removes its directory. */
  stop(): void;
}

/**
 * `managerRemotes`: also listen on the remotes set in the Manager table (as Debian's service does).
 * `vswitchd`: also run an ovs-vswitchd on the database, in a network namespace of its own.
 */
export function startOvsdbServer(options?: {
  tcpPort?: number;
  managerRemotes?: boolean;
  vswitchd?: boolean;
}): PrivateOvsdbServer;
export function ovsVsctl(endpoint: string, ...args: string[]): string;
