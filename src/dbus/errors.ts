// Errors raised by the D-Bus layer. Each names the bus, service and method so an operator knows what failed.

export class DbusConnectError extends Error {
  constructor(
    readonly address: string,
    cause: unknown,
  ) {
    super(`cannot connect to D-Bus at ${address}: ${describeCause(cause)}`, { cause });
    this.name = 'DbusConnectError';
  }
}

export interface CallTarget {
  service: string;
  path: string;
  iface: string;
  member: string;
}

export class DbusCallError extends Error {
  constructor(
    readonly target: CallTarget,
    readonly dbusErrorName: string | undefined,
    detail: string,
    cause?: unknown,
  ) {
    super(`${target.service} ${target.path} ${target.iface}.${target.member}: ${detail}`, { cause });
    this.name = 'DbusCallError';
  }
}

export class DbusTimeoutError extends DbusCallError {
  constructor(target: CallTarget, timeoutMs: number) {
    super(target, undefined, `no reply within ${timeoutMs} ms`);
    this.name = 'DbusTimeoutError';
  }
}

export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return String(cause);
}
