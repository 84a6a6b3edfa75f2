// The packages writer on a real target: installs through PackageKit from a local repository (with
// progress), removes with --prune, undoes both, and refuses a package no repository offers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '../../src/engine/change.js';
import type { Machine } from '../../src/machine/machine.js';
import { packagesPlugin } from '../../src/plugins/packages/index.js';
import type { PackagesConfig, PackagesFacts } from '../../src/plugins/packages/schema.js';
import type { PluginWriter } from '../../src/plugins/types.js';
import { createLocalAptRepo, type LocalAptRepo } from './support/local-apt-repo.js';
import { execInTarget, machineFor, target } from './testbed-env.js';

const testbedTarget = target(2);
const writer = packagesPlugin.writer as PluginWriter<PackagesConfig, PackagesFacts>;
const HELLO = {
  name: 'opdbus-hello',
  version: '1.0-1',
  description: 'op-dbus test package',
  depends: ['opdbus-hello-data'],
};
const HELLO_DATA = { name: 'opdbus-hello-data', version: '1.0-1', description: 'op-dbus test data' };
const OURS = [HELLO.name, HELLO_DATA.name];

let repo: LocalAptRepo;
let original: { config: PackagesConfig; facts: PackagesFacts };

async function withMachine<T>(work: (machine: Machine) => Promise<T>): Promise<T> {
  const machine = machineFor(testbedTarget);
  try {
    return await work(machine);
  } finally {
    await machine.close();
  }
}

function discover() {
  return withMachine(async (machine) => {
    const found = await packagesPlugin.discover(machine, { managedBusNames: new Map() });
    expect(found.facts.source).toBe('packagekit');
    return { config: packagesPlugin.configSchema.parse(found.config), facts: found.facts };
  });
}

/** `name version` of each of our packages dpkg has installed, as dpkg-query in the target prints them. */
async function installedInTarget(): Promise<string[]> {
  const listing = await execInTarget(testbedTarget, [
    'dpkg-query',
    '-W',
    '-f',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own field syntax, not a template
    '${Package} ${Version} ${db:Status-Status}\n',
    'opdbus-*',
  ]).catch(() => ''); // dpkg-query exits 1 when no package matches
  return listing
    .split('\n')
    .filter((line) => line.endsWith(' installed'))
    .map((line) => line.replace(/ installed$/, ''))
    .sort();
}

function withOurPackages(config: PackagesConfig): PackagesConfig {
  const desired = structuredClone(config);
  desired.packages[HELLO.name] = { version: HELLO.version, architecture: 'all', manual: true };
  desired.packages[HELLO_DATA.name] = { version: HELLO_DATA.version, architecture: 'all', manual: false };
  return desired;
}

/** Runs a writer step the way the engine does: checkpoint through JSON (the journal), progress collected. */
async function step(
  run: (
    machine: Machine,
    context: { progress(line: string): void; changeTimeoutMs: number },
  ) => Promise<void>,
) {
  const lines: string[] = [];
  await withMachine((machine) =>
    run(machine, { progress: (line) => lines.push(line), changeTimeoutMs: 120_000 }),
  );
  return lines;
}

async function checkpointOf(changes: Change[]) {
  return JSON.parse(JSON.stringify(await withMachine((machine) => writer.checkpoint(changes, machine))));
}

describe('packages writer on a testbed target', () => {
  beforeAll(async () => {
    expect(await installedInTarget()).toEqual([]);
    repo = await createLocalAptRepo(testbedTarget, [HELLO, HELLO_DATA]);
    original = await discover();
  });

  afterAll(async () => {
    // Only if a test failed half-way: the undo steps below normally leave nothing of ours installed.
    if ((await installedInTarget()).length > 0)
      await execInTarget(testbedTarget, ['dpkg', '--purge', ...OURS]);
    await repo?.remove();
  });

  it('installs a missing package with its dependency, verifies, and undoes the install', async () => {
    const desired = withOurPackages(original.config);
    const plan = writer.plan(original, desired, { prune: false });
    expect(plan.changes.map((change) => change.id)).toEqual(['packages:install:opdbus-hello']);
    expect(plan.unresolved.map((item) => [item.path, item.blocking])).toEqual([
      ['$.sections.packages.config.packages["opdbus-hello-data"]', false],
    ]);
    const [install] = plan.changes as [Change];
    const checkpoint = await checkpointOf(plan.changes);

    const lines = await step((machine, context) => writer.apply(install, machine, context));
    expect(
      lines.some((line) => /^install opdbus-hello: .+ \d+%$/.test(line)),
      lines.join('\n'),
    ).toBe(true);
    expect(await installedInTarget()).toEqual(['opdbus-hello 1.0-1', 'opdbus-hello-data 1.0-1']);

    const after = await discover();
    expect(after.config.packages[HELLO.name]?.manual).toBe(true);
    expect(after.config.packages[HELLO_DATA.name]?.manual).toBe(false);
    expect(writer.plan(after, desired, { prune: false })).toEqual({ changes: [], unresolved: [] });

    await step((machine, context) => writer.undo(install, checkpoint, machine, context));
    expect(await installedInTarget()).toEqual([]);
    expect((await discover()).config).toEqual(original.config);
    // Undo is idempotent: again, nothing is left to take away.
    await step((machine, context) => writer.undo(install, checkpoint, machine, context));
  });

  it('removes an extra package only with --prune, and undoing the removal installs it again', async () => {
    const install = writer.plan(original, withOurPackages(original.config), { prune: false }).changes as [
      Change,
    ];
    const installCheckpoint = await checkpointOf(install);
    await step((machine, context) => writer.apply(install[0], machine, context));

    const current = await discover();
    expect(writer.plan(current, original.config, { prune: false }).changes).toEqual([]);
    const prune = writer.plan(current, original.config, { prune: true });
    expect(prune.changes.map((change) => [change.id, change.risk])).toEqual([
      ['packages:remove:opdbus-hello', 'high'],
    ]);
    const [remove] = prune.changes as [Change];
    const removeCheckpoint = await checkpointOf(prune.changes);
    await step((machine, context) => writer.apply(remove, machine, context));
    // Its dependency stays: op-dbus removes nothing but the package, and does not autoremove.
    expect(await installedInTarget()).toEqual(['opdbus-hello-data 1.0-1']);

    await step((machine, context) => writer.undo(remove, removeCheckpoint, machine, context));
    expect(await installedInTarget()).toEqual(['opdbus-hello 1.0-1', 'opdbus-hello-data 1.0-1']);
    expect((await discover()).config).toEqual(current.config);

    await step((machine, context) => writer.undo(install[0], installCheckpoint, machine, context));
    expect((await discover()).config).toEqual(original.config);
  });

  it('fails clearly for a package no repository offers, and changes nothing', async () => {
    const desired = structuredClone(original.config);
    desired.packages['opdbus-nowhere'] = { version: '1.0', architecture: 'all', manual: true };
    const [install] = writer.plan(original, desired, { prune: false }).changes as [Change];
    await expect(step((machine, context) => writer.apply(install, machine, context))).rejects.toThrow(
      /^package opdbus-nowhere is not in any configured repository for all/,
    );
    expect((await discover()).config).toEqual(original.config);
  });
});
