// What every `op-dbus deploy` subcommand shares: the machine and its store from the flags, user errors without
// stack traces, and ledger recording whose failure is reported (exit 1) without undoing the step.
import { resolve } from 'node:path';
import { ActivationFailedError } from '../deploy/activate.js';
import { DeployError } from '../deploy/errors.js';
import { type DeployStep, recordStep } from '../deploy/record.js';
import { DeployStore } from '../deploy/store.js';
import { StreamFormatError } from '../deploy/stream-format.js';
import { StreamVerificationError } from '../deploy/stream-signature.js';
import type { Machine } from '../machine/machine.js';
import { UsageError } from './errors.js';
import { type MachineFlags, machineFromFlags } from './machine-options.js';

export interface DeployFlags extends MachineFlags {
  store: string;
}

/** The deploy command's own flags (store, machine) as seen from any of its subcommands. */
export function deployFlagsOf(command: { optsWithGlobals(): unknown }): DeployFlags {
  return command.optsWithGlobals() as DeployFlags;
}

export interface DeployContext {
  machine: Machine;
  store: DeployStore;
  /** Records a step in the machine's ledger; a failure to record is printed and makes the exit status 1. */
  record(step: DeployStep): Promise<void>;
}

/**
 * A path the user gave: on the local machine relative paths mean what they mean in the shell; with --root
 * it is a path on that machine, so it must be absolute.
 */
export function machinePathFromUser(machine: Machine, path: string, flag: string): string {
  if (machine.root === '/') return resolve(path);
  if (!path.startsWith('/'))
    throw new UsageError(`${flag} must be an absolute path on the machine under --root`);
  return path;
}

function userFacing(error: unknown): unknown {
  return error instanceof DeployError ? new UsageError(error.message, error.hint) : error;
}

/** The ledger result of a step that threw. */
export function failureResult(error: unknown): DeployStep['result'] {
  if (error instanceof ActivationFailedError)
    return error.restoreProblem ? 'rollback-incomplete' : 'rolled-back';
  if (error instanceof StreamVerificationError || error instanceof StreamFormatError) return 'refused';
  return 'failed';
}

export async function withDeployContext(
  flags: DeployFlags,
  options: { create: boolean },
  body: (context: DeployContext) => Promise<void>,
): Promise<void> {
  const machine = machineFromFlags(flags);
  try {
    const store = await DeployStore.open(
      machine,
      machinePathFromUser(machine, flags.store, '--store'),
      options,
    );
    if (store.cleanedStaging.length > 0)
      process.stderr.write(
        `op-dbus: removed ${store.cleanedStaging.length} abandoned staging director${store.cleanedStaging.length === 1 ? 'y' : 'ies'} (an interrupted run)\n`,
      );
    const record = async (step: DeployStep) => {
      const problem = await recordStep(machine, step);
      if (problem === undefined) return;
      process.stderr.write(`op-dbus: error: ${problem}\n`);
      process.exitCode = 1;
    };
    await body({ machine, store, record });
  } catch (error) {
    throw userFacing(error);
  } finally {
    await machine.close();
  }
}

/** Runs a step and records it either way: `ok` with what it returns, or the failure with its message. */
export async function recordedStep<T>(
  context: DeployContext,
  action: DeployStep['action'],
  details: Record<string, unknown>,
  run: () => Promise<{
    value: T;
    step: Omit<DeployStep, 'action' | 'details'> & { details?: Record<string, unknown> };
  }>,
): Promise<T> {
  let outcome: Awaited<ReturnType<typeof run>>;
  try {
    outcome = await run();
  } catch (error) {
    await context.record({
      action,
      result: failureResult(error),
      details: { ...details, error: (error as Error).message },
    });
    throw error;
  }
  await context.record({ ...outcome.step, action, details: { ...details, ...outcome.step.details } });
  return outcome.value;
}
