// Bounds how many of the tasks handed to it run at once. dbus-services hands it its per-object and per-name
// calls to services (Introspect, GetUnitByPID): a bus daemon refuses a connection more pending replies than
// max_replies_per_connection (128 by default on the system bus). Other plugins' calls on the shared
// connection are not counted.

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
