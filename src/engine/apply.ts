// Applying a desired state to a machine, never leaving it half-changed: lock, finish any interrupted apply,
// plan, checkpoint and journal, run the changes phase by phase, prove the result by discovering again, and on
// any failure undo what was done and prove the machine is back at its checkpoint. Every outcome is in the ledger.
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { currentActor, openLedger } from '../ledger/ledger.js';
import type { Machine } from '../machine/machine.js';
import type { ApplyContext, Plugin } from '../plugins/types.js';
import type { MachineState } from '../state/schema.js';
import { LockBusyError, withFileLock } from '../util/file-lock.js';
import { type Change, PHASES, type Phase } from './change.js';
import { discoverMachine } from './discover.js';
import {
  finishJournal,
  type JournalHeader,
  readJournal,
  recordProgress,
  STATE_DIR,
  startJournal,
} from './journal.js';
import { blockingItems, type MachinePlan, planMachine } from './plan.js';
import { type RollbackResult, rollBack } from './rollback.js';

export const DEFAULT_CHANGE_TIMEOUT_MS = 120_000;
const APPLY_LOCK = `${STATE_DIR}/apply.lock`;
/** Changes of one phase run together, up to this many at a time. */
const PHASE_CONCURRENCY = 32;
/** Package transactions queue behind each other in PackageKit anyway; one at a time keeps progress readable. */
const SEQUENTIAL_PHASES: ReadonlySet<Phase> = new Set(['packages']);

export type ApplyEvent =
  | { type: 'recovering'; journalId: string; changes: number }
  | { type: 'planned'; plan: MachinePlan }
  | { type: 'change-started'; change: Change; index: number; total: number }
  | { type: 'change-done'; change: Change; index: number; total: number; ms: number }
  | { type: 'change-failed'; change: Change; error: Error }
  | { type: 'change-progress'; change: Change; message: string }
  | { type: 'verifying' }
  | { type: 'rolling-back'; reason: string }
  | { type: 'undone'; change: Change; error?: Error };

export interface ApplyOptions {
  /** Every registered plugin (to undo journaled changes of any plugin, and for coverage). */
  registry: readonly Plugin[];
  /** Plugins to apply (default: every plugin with a writer). */
  plugins: readonly Plugin[];
  prune: boolean;
  dryRun: boolean;
  changeTimeoutMs?: number;
  onEvent?(event: ApplyEvent): void;
  /** Testing hook: fail the change at this 0-based position in the plan instead of applying it. */
  failAtChange?: number;
  /** Testing hook: stop for good once the change at this position is journaled as started (to be killed). */
  hangAtChange?: number;
  /** Asked with the plan before the first change; false ends the apply with nothing changed. */
  confirm?(plan: MachinePlan): Promise<boolean>;
  /** Aborting (SIGINT, SIGTERM) stops before the next change and rolls back what was done. */
  signal?: AbortSignal;
  /** Who the ledger and journal name (default: this process's user; a D-Bus service names its caller). */
  actor?: string;
}

export type ApplyOutcome =
  | { status: 'refused'; plan: MachinePlan; reason: string }
  | { status: 'no-changes' | 'planned' | 'declined'; plan: MachinePlan }
  | { status: 'applied'; plan: MachinePlan; stateBefore: string; stateAfter: string }
  | { status: 'rolled-back'; plan: MachinePlan; reason: string; rollback: RollbackResult };

export class InjectedFailure extends Error {}

function contextFor(options: ApplyOptions, change?: Change): ApplyContext {
  return {
    changeTimeoutMs: options.changeTimeoutMs ?? DEFAULT_CHANGE_TIMEOUT_MS,
    progress: (message) => change && options.onEvent?.({ type: 'change-progress', change, message }),
  };
}

/** Runs `work` over `items` with at most `limit` at a time; resolves when all settled, first error last. */
async function runPool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item).catch((error: unknown) => errors.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
}

async function runChanges(machine: Machine, plan: MachinePlan, options: ApplyOptions): Promise<void> {
  const writers = new Map(options.registry.map((plugin) => [plugin.name, plugin.writer]));
  const total = plan.changes.length;
  for (const phase of PHASES) {
    const inPhase = plan.changes.filter((change) => change.phase === phase);
    const sequential = SEQUENTIAL_PHASES.has(phase);
    if (options.signal?.aborted && inPhase.length > 0)
      throw new Error(`interrupted before: ${inPhase[0]?.description}`);
    // One synced write announces every change of a concurrent phase before the first of them runs.
    const announce = (changes: readonly Change[]) =>
      recordProgress(
        machine,
        changes.map((change) => ({ change: change.id, event: 'started' as const })),
      );
    if (!sequential) await announce(inPhase);
    await runPool(inPhase, sequential ? 1 : PHASE_CONCURRENCY, async (change) => {
      const index = plan.changes.indexOf(change);
      if (options.signal?.aborted) throw new Error(`interrupted before: ${change.description}`);
      if (sequential) await announce([change]);
      options.onEvent?.({ type: 'change-started', change, index, total });
      const started = performance.now();
      try {
        if (index === options.failAtChange) throw new InjectedFailure(`injected failure at change ${index}`);
        if (index === options.hangAtChange) await new Promise(() => setInterval(() => {}, 60_000));
        await writers.get(change.plugin)?.apply(change, machine, contextFor(options, change));
      } catch (error) {
        const message = (error as Error).message;
        await recordProgress(
          machine,
          { change: change.id, event: 'failed', error: message },
          { sync: false },
        );
        options.onEvent?.({ type: 'change-failed', change, error: error as Error });
        throw error;
      }
      await recordProgress(machine, { change: change.id, event: 'done' }, { sync: false });
      options.onEvent?.({ type: 'change-done', change, index, total, ms: performance.now() - started });
    });
  }
}

/** Finishes an interrupted apply by rolling it back; undefined when there was none. */
export async function recoverInterruptedApply(
  machine: Machine,
  options: Pick<ApplyOptions, 'registry' | 'changeTimeoutMs' | 'onEvent' | 'actor'>,
): Promise<RollbackResult | undefined> {
  const journal = await readJournal(machine);
  if (!journal) return undefined;
  options.onEvent?.({
    type: 'recovering',
    journalId: journal.header.id,
    changes: journal.header.changes.length,
  });
  const result = await rollBack(machine, journal, options.registry, contextFor(options as ApplyOptions), {
    onUndo: (change, error) => options.onEvent?.({ type: 'undone', change, ...(error ? { error } : {}) }),
  });
  await openLedger(machine).append({
    actor: options.actor ?? currentActor(),
    action: 'recover',
    planHash: journal.header.planHash,
    stateBefore: journal.header.stateBefore,
    stateAfter: result.stateAfter,
    result: result.restored ? 'rolled-back' : 'rollback-incomplete',
    details: { journal: journal.header.id, interruptedPid: journal.header.pid, undone: result.undone },
  });
  if (result.restored) await finishJournal(machine);
  return result;
}

async function applyLocked(
  machine: Machine,
  desired: MachineState,
  options: ApplyOptions,
): Promise<ApplyOutcome> {
  if (options.dryRun && (await readJournal(machine)))
    throw new Error(
      'an interrupted apply left this machine half-changed; run `op-dbus recover` before planning',
    );
  const recovered = options.dryRun ? undefined : await recoverInterruptedApply(machine, options);
  if (recovered && !recovered.restored)
    throw new Error(
      'an interrupted apply could not be fully rolled back; run `op-dbus recover` and read its report',
    );
  const selected = options.plugins.filter((plugin) => plugin.writer && desired.sections[plugin.name]);
  const { state: current } = await discoverMachine(machine, {
    plugins: selected,
    registry: options.registry,
  });
  const plan = planMachine(current, desired, { plugins: selected, prune: options.prune });
  options.onEvent?.({ type: 'planned', plan });
  const ledger = openLedger(machine);
  const record = (action: string, result: string, extra: Record<string, unknown> = {}, stateAfter?: string) =>
    ledger.append({
      actor: options.actor ?? currentActor(),
      action,
      planHash: plan.hash,
      stateBefore: current.integrity.config,
      stateAfter: stateAfter ?? null,
      result,
      details: { changes: plan.changes.length, sections: plan.planned, ...extra },
    });
  const blocking = blockingItems(plan);
  if (blocking.length > 0) {
    const reason = blocking.map((item) => `${item.path}: ${item.description}`).join('\n');
    if (!options.dryRun) await record('apply', 'refused', { blocking: blocking.length });
    return { status: 'refused', plan, reason };
  }
  if (options.dryRun) return { status: 'planned', plan };
  if (plan.changes.length === 0) return { status: 'no-changes', plan };
  // Changes that could not be recorded would break the audit trail: a damaged ledger stops the apply first.
  const ledgerState = await ledger.verify();
  if (!ledgerState.ok)
    throw new Error(
      `the ledger is damaged at ${ledgerState.firstBad.sequence ?? 'its end'} (${ledgerState.firstBad.reason}): nothing was changed; run \`op-dbus ledger verify\``,
    );
  if (options.confirm && !(await options.confirm(plan))) return { status: 'declined', plan };

  const plugins = [...new Set(plan.changes.map((change) => change.plugin))];
  const checkpoints: Record<string, unknown> = {};
  for (const name of plugins) {
    const changes = plan.changes.filter((change) => change.plugin === name);
    checkpoints[name] = await selected
      .find((plugin) => plugin.name === name)
      ?.writer?.checkpoint(changes, machine);
  }
  const header: JournalHeader = {
    version: 1,
    id: randomUUID(),
    startedAt: new Date().toISOString(),
    pid: process.pid,
    actor: options.actor ?? currentActor(),
    planHash: plan.hash,
    plugins,
    changes: plan.changes,
    checkpoints,
    configBefore: Object.fromEntries(plugins.map((name) => [name, current.sections[name]?.config])),
    stateBefore: current.integrity.config,
  };
  await startJournal(machine, header);

  let failure: string | undefined;
  try {
    await runChanges(machine, plan, options);
    options.onEvent?.({ type: 'verifying' });
    const affected = selected.filter((plugin) => plugins.includes(plugin.name));
    const { state: after } = await discoverMachine(machine, {
      plugins: affected,
      registry: options.registry,
    });
    const replan = planMachine(after, desired, { plugins: affected, prune: options.prune });
    if (replan.changes.length === 0) {
      await record('apply', 'ok', {}, after.integrity.config);
      await finishJournal(machine);
      return {
        status: 'applied',
        plan,
        stateBefore: current.integrity.config,
        stateAfter: after.integrity.config,
      };
    }
    failure = `after applying, the machine still differs from the desired state: ${replan.changes
      .slice(0, 5)
      .map((change) => change.description)
      .join('; ')}`;
  } catch (error) {
    failure = (error as Error).message;
  }
  options.onEvent?.({ type: 'rolling-back', reason: failure });
  const journal = await readJournal(machine);
  if (!journal) throw new Error('the apply journal disappeared during the apply; run `op-dbus recover`');
  const rollback = await rollBack(machine, journal, options.registry, contextFor(options), {
    onUndo: (change, error) => options.onEvent?.({ type: 'undone', change, ...(error ? { error } : {}) }),
  });
  await record(
    'rollback',
    rollback.restored ? 'rolled-back' : 'rollback-incomplete',
    { reason: failure, undone: rollback.undone, undoErrors: rollback.undoErrors.length },
    rollback.stateAfter,
  );
  if (rollback.restored) await finishJournal(machine);
  return { status: 'rolled-back', plan, reason: failure, rollback };
}

export async function applyDesiredState(
  machine: Machine,
  desired: MachineState,
  options: ApplyOptions,
): Promise<ApplyOutcome> {
  if (options.dryRun) return applyLocked(machine, desired, options);
  return withMachineLock(machine, () => applyLocked(machine, desired, options));
}

/** Runs `work` holding the machine's apply lock; fails at once, naming the holder, when another op-dbus holds it. */
export async function withMachineLock<T>(machine: Machine, work: () => Promise<T>): Promise<T> {
  await mkdir(await machine.files.resolve(STATE_DIR), { recursive: true, mode: 0o700 });
  try {
    return await withFileLock(await machine.files.resolve(APPLY_LOCK), work, 0);
  } catch (error) {
    if (error instanceof LockBusyError)
      throw new Error(
        `another op-dbus (pid ${error.holderPid ?? 'unknown'}) is changing this machine (lock ${APPLY_LOCK}); wait for it to finish`,
      );
    throw error;
  }
}
