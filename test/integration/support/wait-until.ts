// Polling for a condition in integration tests: real services settle in their own time, so a test waits for
// what it needs to see, with a deadline that only guards against a hang and fails saying what never happened.

const POLL_INTERVAL_MS = 50;

/** Resolves with the first truthy value `probe` gives; rejects naming `what` once `deadlineMs` has passed. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  deadlineMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`${what} did not happen within ${deadlineMs} ms${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
