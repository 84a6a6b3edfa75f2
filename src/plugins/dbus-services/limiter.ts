// Bounds how many calls are in flight: a bus daemon refuses a connection more pending replies than its
// max_replies_per_connection (128 on Debian's system bus), and every plugin shares one connection.

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(maxInFlight: number): Limiter {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active < maxInFlight) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The finished task's slot passes straight to the next waiter, so no newcomer can slip in between.
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
