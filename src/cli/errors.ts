// User-facing errors: printed as one clear message with the next step, never as a stack trace.

export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export function formatError(error: unknown, debug: boolean): string {
  if (debug && error instanceof Error && error.stack) return `op-dbus: ${error.stack}`;
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof UsageError && error.hint ? `\n  ${error.hint}` : '';
  return `op-dbus: error: ${message}${hint}`;
}
