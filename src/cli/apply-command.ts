// `op-dbus apply FILE`: make this machine match a captured state, with a checkpoint, a journal, progress per
// change, and automatic rollback on any failure (also on Ctrl-C).
import { createInterface } from 'node:readline/promises';
import { Command, Option } from '@commander-js/extra-typings';
import { type ApplyEvent, type ApplyOutcome, applyDesiredState } from '../engine/apply.js';
import { ACTION_SYMBOL } from '../engine/change.js';
import type { MachinePlan } from '../engine/plan.js';
import { plugins } from '../plugins/registry.js';
import { UsageError } from './errors.js';
import { loadStateDocument } from './load-document.js';
import {
  busAddressOption,
  machineFromFlags,
  ovsdbOption,
  parsePositiveInt,
  rootOption,
  timeoutOption,
} from './machine-options.js';
import { toJsonText } from './output.js';
import { planJson, planSummary, renderPlan } from './render-plan.js';
import { collectRepeatable, selectPlugins } from './select-plugins.js';

/** Testing hooks (documented in docs/cli.md): fail, or hang to be killed, at this 0-based plan position. */
const FAIL_AT_CHANGE_ENV = 'OPDBUS_TEST_FAIL_AT_CHANGE';
const HANG_AT_CHANGE_ENV = 'OPDBUS_TEST_HANG_AT_CHANGE';

function testHook(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new UsageError(`${name} must be a change position (0, 1, …), got "${value}"`);
  return Number(value);
}

function describeEvent(event: ApplyEvent): string | undefined {
  switch (event.type) {
    case 'recovering':
      return `an interrupted apply (${event.journalId}) was found: rolling back its ${event.changes} planned changes first`;
    case 'change-started':
      return `[${event.index + 1}/${event.total}] ${ACTION_SYMBOL[event.change.action]} ${event.change.description} …`;
    case 'change-done':
      return `[${event.index + 1}/${event.total}] ✓ ${event.change.description} (${Math.round(event.ms)} ms)`;
    case 'change-progress':
      return `      ${event.message}`;
    case 'change-failed':
      return `✗ ${event.change.description}: ${event.error.message}`;
    case 'verifying':
      return 'verifying: discovering the changed sections again …';
    case 'rolling-back':
      return `rolling back: ${event.reason}`;
    case 'undone':
      return event.error
        ? `  ✗ could not undo ${event.change.description}: ${event.error.message}`
        : `  ↶ undone: ${event.change.description}`;
    default:
      return undefined;
  }
}

async function askToConfirm(plan: MachinePlan): Promise<boolean> {
  process.stderr.write(renderPlan(plan, { color: Boolean(process.stderr.isTTY) }));
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(
      `Apply these ${plan.changes.length} changes? Only "yes" is accepted: `,
    );
    return answer.trim() === 'yes';
  } finally {
    prompt.close();
  }
}

function reportOutcome(outcome: ApplyOutcome, json: boolean): number {
  if (json) {
    const { plan, ...rest } = outcome;
    process.stdout.write(toJsonText({ ...rest, plan: planJson(plan) }));
  }
  switch (outcome.status) {
    case 'planned':
      if (!json) process.stdout.write(renderPlan(outcome.plan, { color: Boolean(process.stdout.isTTY) }));
      return outcome.plan.changes.length > 0 || outcome.plan.unresolved.length > 0 ? 2 : 0;
    case 'no-changes':
      if (!json) process.stdout.write('No changes: the machine already matches the desired state.\n');
      return 0;
    case 'declined':
      process.stderr.write('Apply cancelled: nothing was changed.\n');
      return 1;
    case 'refused':
      process.stderr.write(`op-dbus: error: apply refused before any change:\n${outcome.reason}\n`);
      return 1;
    case 'applied':
      if (!json)
        process.stdout.write(
          `Applied: ${planSummary(outcome.plan).replace(/^Plan: /, '')} Verified: the applied sections match.\n`,
        );
      return 0;
    case 'rolled-back':
      process.stderr.write(
        outcome.rollback.restored
          ? `op-dbus: error: apply failed and was rolled back (${outcome.rollback.undone} changes undone; the machine is back at its checkpoint): ${outcome.reason}\n`
          : `op-dbus: error: apply failed and the rollback is INCOMPLETE: ${outcome.reason}\n  still different from the checkpoint: ${outcome.rollback.remaining.map((item) => `${item.section} ${item.item}`).join(', ')}\n  run \`op-dbus recover\` to try again\n`,
      );
      return 1;
  }
}

export function applyCommand() {
  return new Command('apply')
    .description('make this machine match a captured state (checkpoint, journal, automatic rollback)')
    .argument('<file>', 'MachineState document (- for standard input)')
    .option('--dry-run', 'plan only: show what would change and change nothing')
    .option('--yes', 'apply without asking for confirmation')
    .option('--json', 'print the outcome as JSON')
    .option('--plugin <name>', 'only apply this section (repeatable, or comma-separated)', collectRepeatable)
    .option('--prune', 'also remove what the machine has beyond the document (extra packages)')
    .addOption(
      new Option('--change-timeout <seconds>', 'how long one change (a job, a package) may take').default(
        '120',
      ),
    )
    .addOption(busAddressOption())
    .addOption(rootOption())
    .addOption(timeoutOption())
    .addOption(ovsdbOption())
    .addHelpText(
      'after',
      '\nExit status: 0 applied (or nothing to do), 1 refused, failed and rolled back, or error; with --dry-run 2 when there are changes.',
    )
    .action(async (file, options) => {
      const selected = selectPlugins(options.plugin);
      const changeTimeoutMs = parsePositiveInt(options.changeTimeout, '--change-timeout') * 1000;
      const desired = await loadStateDocument(file);
      if (!options.yes && !options.dryRun && !(process.stdin.isTTY && process.stderr.isTTY))
        throw new UsageError(
          'apply needs confirmation',
          'pass --yes to apply without a terminal to confirm on',
        );
      const failAtChange = testHook(FAIL_AT_CHANGE_ENV);
      const hangAtChange = testHook(HANG_AT_CHANGE_ENV);
      const machine = machineFromFlags(options);
      const abort = new AbortController();
      const stop = () => abort.abort();
      process.on('SIGINT', stop).on('SIGTERM', stop);
      try {
        const outcome = await applyDesiredState(machine, desired, {
          registry: plugins,
          plugins: selected,
          prune: Boolean(options.prune),
          dryRun: Boolean(options.dryRun),
          changeTimeoutMs,
          signal: abort.signal,
          ...(failAtChange !== undefined ? { failAtChange } : {}),
          ...(hangAtChange !== undefined ? { hangAtChange } : {}),
          ...(options.yes ? {} : { confirm: askToConfirm }),
          onEvent: (event) => {
            const line = describeEvent(event);
            if (line) process.stderr.write(`${line}\n`);
          },
        });
        process.exitCode = reportOutcome(outcome, Boolean(options.json));
      } finally {
        process.off('SIGINT', stop).off('SIGTERM', stop);
        await machine.close();
      }
    });
}
