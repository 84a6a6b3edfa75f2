// Carries out and undoes package changes through PackageKit, one transaction per package: installs resolve
// the name and install the candidate, removals remove only the package; the checkpoint is the dpkg database
// as it was, so undoing an install takes away exactly what the install brought and nothing that was there.
import { z } from 'zod';
import type { Change } from '../../engine/change.js';
import type { Machine } from '../../machine/machine.js';
import type { ApplyContext } from '../types.js';
import { packageKey } from './build-section.js';
import { readDpkgDatabase } from './dpkg-database.js';
import {
  findInstalled,
  installPackage,
  openSession,
  removalWithDependencies,
  removePackages,
} from './packagekit-actions.js';
import { installedPackageSchema } from './schema.js';

const checkpointSchema = z.object({
  nativeArchitecture: z.string().nullable(),
  /** Every package key installed when the checkpoint was taken. */
  installedBefore: z.array(z.string()),
  /** Each change's package as it was then; null when it was not installed. */
  targets: z.record(z.string(), installedPackageSchema.nullable()),
});

export type PackagesCheckpoint = z.infer<typeof checkpointSchema>;

export async function checkpointPackages(
  changes: readonly Change[],
  machine: Machine,
): Promise<PackagesCheckpoint> {
  const { config, facts } = await readDpkgDatabase(machine);
  return {
    nativeArchitecture: facts.nativeArchitecture,
    installedBefore: Object.keys(config.packages),
    targets: Object.fromEntries(
      changes.map((change) => [change.target, config.packages[change.target] ?? null]),
    ),
  };
}

/** The package a change installs (`after`) or removes (`before`), as the plan wrote it. */
function packageOf(change: Change, side: 'before' | 'after') {
  const parsed = installedPackageSchema.safeParse(change[side]);
  if (!parsed.success) throw new Error(`packages: change ${change.id} has no valid "${side}" package`);
  return parsed.data;
}

export async function applyPackagesChange(change: Change, machine: Machine, context: ApplyContext) {
  const session = await openSession(machine, context, `${change.kind} ${change.target}`);
  switch (change.kind) {
    case 'install':
      return installPackage(session, change.target, packageOf(change, 'after'));
    case 'remove': {
      const installed = await findInstalled(session, change.target, packageOf(change, 'before').architecture);
      if (!installed) return session.progress('not installed');
      return removePackages(session, [installed.id]);
    }
    default:
      throw new Error(`packages: unknown change kind "${change.kind}" in ${change.id}`);
  }
}

/**
 * Undo of an install removes the package and the dependencies it pulled in — those apt's autoremove would
 * take with it that the checkpoint does not list (a package left marked as a dependency is left to the undo
 * of the install that needs it); undo of a removal installs it again, at its old version
 * when a repository still offers it. Both do nothing when the machine is already as the checkpoint says.
 */
export async function undoPackagesChange(
  change: Change,
  checkpoint: unknown,
  machine: Machine,
  context: ApplyContext,
) {
  const before = checkpointSchema.parse(checkpoint);
  const session = await openSession(machine, context, `undo ${change.kind} ${change.target}`);
  const was = before.targets[change.target];
  switch (change.kind) {
    case 'install': {
      if (was) return;
      const now = (await readDpkgDatabase(machine)).config.packages[change.target];
      if (!now) return;
      // Pulled in by another change's install (this one found it there): that undo's autoremove takes it,
      // and removing it first would fail on the package that needs it.
      if (!now.manual)
        return session.progress('installed as a dependency; removed with the package needing it');
      const installed = await findInstalled(session, change.target, packageOf(change, 'after').architecture);
      if (!installed) return;
      const present = new Set(before.installedBefore);
      const brought = (await removalWithDependencies(session, installed.id))
        .filter((pkg) => !present.has(packageKey(pkg, before.nativeArchitecture)))
        .map((pkg) => pkg.id);
      const ids = [...new Set([installed.id, ...brought])];
      session.progress(`removing ${ids.length} package(s) the install brought`);
      return removePackages(session, ids);
    }
    case 'remove':
      if (was) await installPackage(session, change.target, was);
      return;
    default:
      throw new Error(`packages: unknown change kind "${change.kind}" in ${change.id}`);
  }
}
