// Every deploy step goes to the machine's ledger: who, which action, the manifests' hashes, the result.
import { currentActor, openLedger } from '../ledger/ledger.js';
import type { Machine } from '../machine/machine.js';
import { hashOf } from '../state/canonical.js';
import type { Manifest } from './manifest.js';

export type DeployAction =
  | 'deploy-snapshot'
  | 'deploy-send'
  | 'deploy-receive'
  | 'deploy-activate'
  | 'deploy-rollback'
  | 'deploy-prune';

export type DeployResult = 'ok' | 'failed' | 'refused' | 'rolled-back' | 'rollback-incomplete' | 'unchanged';

export interface DeployStep {
  action: DeployAction;
  result: DeployResult;
  /** The manifest active (or used as base) before the step, and the one it produced or activated. */
  before?: Manifest | undefined;
  after?: Manifest | undefined;
  details: Record<string, unknown>;
}

export function manifestHash(manifest: Manifest | undefined): string | null {
  return manifest ? hashOf(manifest) : null;
}

/** Appends the step; returns why it could not be recorded instead of throwing, so the step's own outcome stands. */
export async function recordStep(machine: Machine, step: DeployStep): Promise<string | undefined> {
  try {
    await openLedger(machine).append({
      actor: currentActor(),
      action: step.action,
      planHash: null,
      stateBefore: manifestHash(step.before),
      stateAfter: manifestHash(step.after),
      result: step.result,
      details: JSON.parse(JSON.stringify(step.details)) as Record<string, unknown>,
    });
    return undefined;
  } catch (error) {
    return `the ${step.action} step was not recorded in the ledger: ${(error as Error).message}`;
  }
}
