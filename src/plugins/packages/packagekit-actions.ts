// The PackageKit steps one package change is made of — resolve a name, refresh the package lists, install,
// remove — run as transactions that share the change's time budget and report progress under its name.
import type { DbusConnection } from '../../dbus/connection.js';
import { describeCause } from '../../dbus/errors.js';
import type { Machine } from '../../machine/machine.js';
import { withTimeout } from '../../util/timeout.js';
import type { ApplyContext } from '../types.js';
import { type PackageKitPackage, parsePackageId } from './package-id.js';
import { FILTER, INFO, TRANSACTION_FLAG } from './packagekit-enums.js';
import {
  runSuccessfulTransaction,
  runTransaction,
  type TransactionCall,
  transactionFailure,
} from './transaction.js';

/**
 * Only packages apt can authenticate are installed: signed repositories, and repositories an admin marked
 * `[trusted=yes]` (apt counts those as trusted, so a local file: repository needs no key).
 */
const INSTALL_FLAGS = TRANSACTION_FLAG.onlyTrusted;

export interface ResolvedPackage extends PackageKitPackage {
  id: string;
  info: number;
}

export interface WantedPackage {
  version: string;
  /** Debian architecture (`amd64`, `all`); empty when dpkg recorded none, which accepts any. */
  architecture: string;
}

/** One change's connection to PackageKit: its bus, what is left of its budget, and its progress lines. */
export interface PackageKitSession {
  readonly machine: Machine;
  readonly bus: DbusConnection;
  remainingMs(): number;
  progress(line: string): void;
  /** Runs a transaction that must succeed; the error names the change. */
  run(call: TransactionCall): Promise<ResolvedPackage[]>;
}

export async function openSession(
  machine: Machine,
  context: ApplyContext,
  label: string,
): Promise<PackageKitSession> {
  const ends = performance.now() + context.changeTimeoutMs;
  const remainingMs = () => Math.max(1, Math.round(ends - performance.now()));
  const progress = (line: string) => context.progress(`${label}: ${line}`);
  const bus = await machine.bus();
  return {
    machine,
    bus,
    remainingMs,
    progress,
    async run(call) {
      try {
        const outcome = await runSuccessfulTransaction(bus, call, { timeoutMs: remainingMs(), progress });
        return outcome.packages.flatMap(({ info, id }) => {
          const parsed = parsePackageId(id);
          return parsed ? [{ ...parsed, id, info }] : [];
        });
      } catch (error) {
        throw new Error(`${label}: ${describeCause(error)}`, { cause: error });
      }
    },
  };
}

function resolve(session: PackageKitSession, key: string, filter: number): Promise<ResolvedPackage[]> {
  // Resolve takes `name` and `name:arch`, the two forms package keys have.
  return session.run({ method: 'Resolve', signature: 'tas', args: [filter, [key]] });
}

const fitsArchitecture = (pkg: ResolvedPackage, architecture: string) =>
  architecture === '' || pkg.architecture === architecture;

/** What Resolve found for one package: the installed version, and the one to install (the wanted version if offered). */
export function choosePackage(
  found: readonly ResolvedPackage[],
  wanted: WantedPackage,
): { installed?: ResolvedPackage; candidate?: ResolvedPackage } {
  const fitting = found.filter((pkg) => fitsArchitecture(pkg, wanted.architecture));
  const installed = fitting.find((pkg) => pkg.info === INFO.installed);
  const available = fitting.filter((pkg) => pkg.info !== INFO.installed);
  const candidate = available.find((pkg) => pkg.version === wanted.version) ?? available[0];
  return { ...(installed ? { installed } : {}), ...(candidate ? { candidate } : {}) };
}

export async function findInstalled(
  session: PackageKitSession,
  key: string,
  architecture: string,
): Promise<ResolvedPackage | undefined> {
  return (await resolve(session, key, FILTER.installed)).find((pkg) => fitsArchitecture(pkg, architecture));
}

/** Per machine (one per apply run): the outcome of its one RefreshCache, as the reason it failed. */
const refreshes = new WeakMap<Machine, Promise<string | undefined>>();

/**
 * PackageKit reads only the package lists it has: a repository added since they were last fetched is
 * unknown to it until RefreshCache. Done once per apply; a failed refresh (offline, one broken mirror)
 * may still have fetched the other repositories, so its failure is returned, not thrown.
 */
function refreshOnce(session: PackageKitSession): Promise<string | undefined> {
  let refresh = refreshes.get(session.machine);
  if (!refresh) {
    session.progress('not found; refreshing the package lists');
    refresh = runTransaction(
      session.bus,
      { method: 'RefreshCache', signature: 'b', args: [false] },
      { timeoutMs: session.remainingMs(), progress: session.progress },
    ).then(transactionFailure, describeCause);
    refreshes.set(session.machine, refresh);
  }
  const ms = session.remainingMs();
  return withTimeout(refresh, ms, () => new Error(`refreshing the package lists took more than ${ms} ms`));
}

/**
 * Installs `key` unless it is installed: the wanted version when a repository offers it, else the candidate
 * version. Idempotent, so it both applies an install and undoes a removal.
 */
export async function installPackage(session: PackageKitSession, key: string, wanted: WantedPackage) {
  let found = choosePackage(await resolve(session, key, 0), wanted);
  let refreshFailure: string | undefined;
  if (!found.installed && !found.candidate) {
    refreshFailure = await refreshOnce(session);
    found = choosePackage(await resolve(session, key, 0), wanted);
  }
  if (found.installed) {
    session.progress(`already installed (${found.installed.version})`);
    return;
  }
  if (!found.candidate) {
    const refresh = refreshFailure ? ` (refreshing the package lists failed: ${refreshFailure})` : '';
    const architecture = wanted.architecture ? ` for ${wanted.architecture}` : '';
    throw new Error(`package ${key} is not in any configured repository${architecture}${refresh}`);
  }
  if (found.candidate.version !== wanted.version)
    session.progress(`${wanted.version} is not offered; installing ${found.candidate.version}`);
  await session.run({
    method: 'InstallPackages',
    signature: 'tas',
    args: [INSTALL_FLAGS, [found.candidate.id]],
  });
}

/** Removes the packages `ids` and nothing else: dependants make PackageKit fail rather than remove them. */
export async function removePackages(session: PackageKitSession, ids: readonly string[]) {
  await session.run({
    method: 'RemovePackages',
    signature: 'tasbb',
    args: [INSTALL_FLAGS, ids, false, false],
  });
}

/** What removing `id` with apt's autoremove would take away: the package and dependencies only it needed. */
export async function removalWithDependencies(session: PackageKitSession, id: string) {
  const simulated = await session.run({
    method: 'RemovePackages',
    signature: 'tasbb',
    args: [TRANSACTION_FLAG.simulate, [id], false, true],
  });
  return simulated.filter((pkg) => pkg.info === INFO.removing);
}
