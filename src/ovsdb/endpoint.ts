// Where an OVSDB server listens, in ovs-vsctl's own `--db` notation: `unix:PATH` or `tcp:HOST:PORT`.

export const DEFAULT_OVSDB_ENDPOINT = 'unix:/run/openvswitch/db.sock';

export type OvsdbEndpoint = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

export class OvsdbEndpointError extends Error {
  constructor(text: string, reason: string) {
    super(`invalid OVSDB address ${JSON.stringify(text)}: ${reason} (expected unix:PATH or tcp:HOST:PORT)`);
    this.name = 'OvsdbEndpointError';
  }
}

export function parseOvsdbEndpoint(text: string): OvsdbEndpoint {
  if (text.startsWith('unix:')) {
    const path = text.slice('unix:'.length);
    if (!path.startsWith('/')) throw new OvsdbEndpointError(text, 'the socket path must be absolute');
    if (/[\0\n]/.test(path))
      throw new OvsdbEndpointError(text, 'the socket path contains a control character');
    return { kind: 'unix', path };
  }
  if (text.startsWith('tcp:')) {
    // IPv6 literals come bracketed, as ovs-vsctl writes them: tcp:[::1]:6640.
    const match = /^tcp:(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
    if (!match) throw new OvsdbEndpointError(text, 'expected tcp:HOST:PORT');
    const port = Number(match[2]);
    if (port < 1 || port > 65535) throw new OvsdbEndpointError(text, `port ${port} is out of range`);
    const host = (match[1] ?? '').replace(/^\[(.*)\]$/, '$1');
    return { kind: 'tcp', host, port };
  }
  throw new OvsdbEndpointError(text, 'unknown scheme');
}

export function formatOvsdbEndpoint(endpoint: OvsdbEndpoint): string {
  if (endpoint.kind === 'unix') return `unix:${endpoint.path}`;
  return endpoint.host.includes(':')
    ? `tcp:[${endpoint.host}]:${endpoint.port}`
    : `tcp:${endpoint.host}:${endpoint.port}`;
}
