// `op-dbus deploy`: immutable deployments as read-only btrfs snapshots in a store on the machine; snapshot,
// send/receive signed streams, activate with health checks and automatic switch back, roll back, prune.
import { Command, Option } from '@commander-js/extra-typings';
import { activateVersion, rollbackVersion, type SwitchOutcome } from '../deploy/activate.js';
import { loadDeployConfig } from '../deploy/config.js';
import { reconcileHistory } from '../deploy/history.js';
import { machineSigningKey, publicKeyPem } from '../deploy/keys.js';
import { DEFAULT_STORE } from '../deploy/layout.js';
import { pruneVersions } from '../deploy/prune.js';
import { snapshotVersion } from '../deploy/snapshot.js';
import { readMetadata } from '../engine/metadata.js';
import {
  type DeployContext,
  deployFlagsOf,
  machinePathFromUser,
  recordedStep,
  withDeployContext,
} from './deploy-context.js';
import { describeManifest, describeSwitch, renderStatus, renderVersionTable } from './deploy-output.js';
import { receiveCommand, sendCommand } from './deploy-stream-commands.js';
import {
  busAddressOption,
  machineFromFlags,
  parsePositiveInt,
  rootOption,
  timeoutOption,
} from './machine-options.js';
import { toJsonText } from './output.js';
import { collectRepeatable } from './select-plugins.js';

function snapshotCommand() {
  return new Command('snapshot')
    .description('take a read-only snapshot of a subvolume as a new version (with its manifest)')
    .argument('<name>', 'name of the new version')
    .requiredOption(
      '--from <subvolume>',
      'the btrfs subvolume to snapshot (on the same file system as the store)',
    )
    .option('--json', 'print the manifest as JSON')
    .action(async (name, options, command) => {
      await withDeployContext(deployFlagsOf(command), { create: true }, async (context) => {
        const from = machinePathFromUser(context.machine, options.from, '--from');
        const now = new Date();
        const manifest = await recordedStep(context, 'deploy-snapshot', { name, from }, async () => {
          const made = await snapshotVersion(context.store, {
            name,
            fromHostPath: await context.machine.files.resolve(from),
            sourceHost: (await readMetadata(context.machine, now)).hostname,
            now,
          });
          return { value: made, step: { result: 'ok', after: made, details: { sizes: made.sizes } } };
        });
        process.stdout.write(
          options.json
            ? toJsonText(manifest)
            : `✓ Snapshot ${name} of ${from}: ${describeManifest(manifest)}\n`,
        );
      });
    });
}

const restartUnitOption = () =>
  new Option(
    '--restart-unit <unit>',
    'restart this unit after the switch (repeatable; replaces restartUnits of deploy.json)',
  ).argParser(collectRepeatable);

async function switchStep(
  context: DeployContext,
  action: 'deploy-activate' | 'deploy-rollback',
  restartUnits: readonly string[],
  name: string | undefined,
): Promise<SwitchOutcome> {
  const config = await loadDeployConfig(context.machine, context.store.path, restartUnits);
  const active = await context.store.activeVersion();
  const before = active ? (await context.store.version(active)).manifest : undefined;
  return recordedStep(context, action, { name: name ?? null, from: active ?? null }, async () => {
    const outcome =
      action === 'deploy-activate'
        ? await activateVersion(context.store, context.machine, config, name as string)
        : await rollbackVersion(context.store, context.machine, config, name);
    const after = (await context.store.version(outcome.version)).manifest;
    return {
      value: outcome,
      step: {
        result: outcome.switched ? 'ok' : 'unchanged',
        before,
        after,
        details: { name: outcome.version, units: [...outcome.units] },
      },
    };
  });
}

function activateCommand() {
  return new Command('activate')
    .description('make a version the active deployment, restart units, check health; switch back on failure')
    .argument('<name>', 'the version to activate')
    .addOption(restartUnitOption())
    .option('--json', 'print the result as JSON')
    .action(async (name, options, command) => {
      await withDeployContext(deployFlagsOf(command), { create: false }, async (context) => {
        const outcome = await switchStep(context, 'deploy-activate', options.restartUnit ?? [], name);
        process.stdout.write(options.json ? toJsonText(outcome) : describeSwitch('Activated', outcome));
      });
    });
}

function rollbackCommand() {
  return new Command('rollback')
    .description('go back to the previously active version, or to NAME, with the same checks as activate')
    .argument('[name]', 'the version to go back to (default: the one active before the current one)')
    .addOption(restartUnitOption())
    .option('--json', 'print the result as JSON')
    .action(async (name, options, command) => {
      await withDeployContext(deployFlagsOf(command), { create: false }, async (context) => {
        const outcome = await switchStep(context, 'deploy-rollback', options.restartUnit ?? [], name);
        process.stdout.write(options.json ? toJsonText(outcome) : describeSwitch('Rolled back to', outcome));
      });
    });
}

function listCommand() {
  return new Command('list')
    .description('list the versions in the store, newest first (* marks the active one)')
    .option('--json', 'print the versions with their manifests as JSON')
    .action(async (options, command) => {
      await withDeployContext(deployFlagsOf(command), { create: false }, async ({ store }) => {
        const { versions, problems } = await store.versions();
        const active = await store.activeVersion();
        const rows = versions.map(({ name, manifest }) => ({ name, active: name === active, manifest }));
        if (options.json)
          process.stdout.write(
            toJsonText({ store: store.path, active: active ?? null, versions: rows, problems }),
          );
        else process.stdout.write(renderVersionTable(rows));
        for (const problem of options.json ? [] : problems)
          process.stderr.write(`op-dbus: warning: ${problem}\n`);
      });
    });
}

function statusCommand() {
  return new Command('status')
    .description('the active version, what rollback would go back to, and the activation config')
    .option('--json', 'print the status as JSON')
    .action(async (options, command) => {
      await withDeployContext(deployFlagsOf(command), { create: false }, async ({ machine, store }) => {
        const active = await store.activeVersion();
        const history = reconcileHistory(await store.history(), active);
        const { versions, problems } = await store.versions();
        const config = await loadDeployConfig(machine, store.path, []);
        const status = {
          store: store.path,
          root: machine.root,
          active: active ?? null,
          rollbackTarget: history[history.length - 2] ?? null,
          history,
          versions: versions.length,
          problems,
          restartUnits: config.restartUnits,
          healthCommand: config.healthCommand ?? null,
        };
        process.stdout.write(options.json ? toJsonText(status) : renderStatus(status));
      });
    });
}

function pruneCommand() {
  return new Command('prune')
    .description('delete all but the newest N versions (never the active one or the rollback target)')
    .requiredOption('--keep <n>', 'how many of the newest versions to keep')
    .option('--json', 'print what was removed and kept as JSON')
    .action(async (options, command) => {
      const keep = parsePositiveInt(options.keep, '--keep');
      await withDeployContext(deployFlagsOf(command), { create: false }, async (context) => {
        const plan = await recordedStep(context, 'deploy-prune', { keep }, async () => {
          const pruned = await pruneVersions(context.store, keep);
          return { value: pruned, step: { result: 'ok', details: { removed: pruned.remove } } };
        });
        process.stdout.write(
          options.json
            ? toJsonText({ removed: plan.remove, kept: plan.keep })
            : `✓ Removed ${plan.remove.length === 0 ? 'nothing' : plan.remove.join(', ')}; kept ${plan.keep.length}\n`,
        );
      });
    });
}

function keyCommand() {
  const key = new Command('key').description("the machine's deployment signing key");
  key
    .command('export')
    .description('print the public key (PEM) that receivers pass to --verify-key (creates the key if needed)')
    .action(async (_options, command) => {
      const machine = machineFromFlags(deployFlagsOf(command));
      try {
        process.stdout.write(publicKeyPem((await machineSigningKey(machine)).publicKey));
      } finally {
        await machine.close();
      }
    });
  return key;
}

export function deployCommand() {
  return new Command('deploy')
    .description('immutable deployments: read-only btrfs snapshots, signed send streams, atomic activation')
    .addOption(
      new Option(
        '--store <dir>',
        'the deployment store, a directory on btrfs (active deployment: DIR/current)',
      ).default(DEFAULT_STORE),
    )
    .addOption(busAddressOption())
    .addOption(rootOption())
    .addOption(timeoutOption())
    .addCommand(snapshotCommand())
    .addCommand(sendCommand())
    .addCommand(receiveCommand())
    .addCommand(activateCommand())
    .addCommand(rollbackCommand())
    .addCommand(listCommand())
    .addCommand(statusCommand())
    .addCommand(pruneCommand())
    .addCommand(keyCommand());
}
