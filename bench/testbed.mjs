// The benchmark's view of the integration testbed (test/testbed/testbed.mjs): bring it up when it is not,
// find a target, and reach inside it. It never tears down a testbed it did not start.
export { acquireTestbed, containerInitPid } from '../test/testbed/testbed.mjs';

export const REPO = new URL('..', import.meta.url).pathname;
export const EXEC_IN_TARGET = `${REPO}test/testbed/exec-in-target.sh`;

/** A target by 1-based index or by name. */
export function selectTarget(env, which) {
  const found = /^\d+$/.test(which)
    ? env.targets[Number(which) - 1]
    : env.targets.find((t) => t.name === which);
  if (!found)
    throw new Error(
      `the testbed has no target "${which}" (it has ${env.targets.map((t) => t.name).join(', ')})`,
    );
  return found;
}
