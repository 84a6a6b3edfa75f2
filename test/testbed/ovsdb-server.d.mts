export interface PrivateOvsdbServer {
  dir: string;
  /** `unix:PATH` of its socket. */
  endpoint: string;
  socket: string;
  pid: number;
  /** Stops the server and removes its directory. */
  stop(): void;
}

export function startOvsdbServer(options?: { tcpPort?: number }): PrivateOvsdbServer;
export function ovsVsctl(endpoint: string, ...args: string[]): string;
