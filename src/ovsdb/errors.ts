// Errors from talking to an OVSDB server; each keeps the server's own `error` and `details` strings.

export class OvsdbConnectionError extends Error {
  constructor(
    readonly endpoint: string,
    detail: string,
    cause?: unknown,
  ) {
    super(`OVSDB at ${endpoint}: ${detail}`, { cause });
    this.name = 'OvsdbConnectionError';
  }
}

export class OvsdbTimeoutError extends Error {
  constructor(
    readonly endpoint: string,
    readonly method: string,
    timeoutMs: number,
  ) {
    super(`OVSDB at ${endpoint}: no reply to ${method} within ${timeoutMs} ms`);
    this.name = 'OvsdbTimeoutError';
  }
}

/** The server answered a request with an error object (RFC 7047 §3.1: `error` is a short string). */
export class OvsdbRpcError extends Error {
  constructor(
    readonly method: string,
    readonly error: string,
    readonly details: string | undefined,
  ) {
    super(`OVSDB ${method} failed: ${error}${details ? `: ${details}` : ''}`);
    this.name = 'OvsdbRpcError';
  }
}

/** An operation of a transaction failed (so none of it was committed); `index` is that operation's position. */
export class OvsdbTransactionError extends Error {
  constructor(
    readonly index: number,
    readonly op: string,
    readonly error: string,
    readonly details: string | undefined,
  ) {
    super(
      `OVSDB transaction failed at operation ${index} (${op}): ${error}${details ? `: ${details}` : ''}; nothing was changed`,
    );
    this.name = 'OvsdbTransactionError';
  }
}
