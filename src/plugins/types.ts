// The contract every plugin implements: one area of a machine (systemd, kernel, …), discovered into a
// section that separates config (what can be desired and applied) from facts (observed only).
import type { z } from 'zod';
import type { Change, PlanOptions, PluginPlan } from '../engine/change.js';
import type { AnsibleContribution } from '../export/ansible/contribution.js';
import type { NixContribution } from '../export/nix/contribution.js';
import type { Machine } from '../machine/machine.js';
import type { SectionRedaction } from '../state/redact.js';

export type Availability = { ok: true } | { ok: false; reason: string };

export interface DiscoverContext {
  /** Bus names some plugin manages, mapped to that plugin's name (for the coverage report). */
  readonly managedBusNames: ReadonlyMap<string, string>;
  /** When the engine's time box for this plugin ends (Date.now() milliseconds); absent when unbounded. */
  readonly deadline?: number;
}

export interface Discovered<Config, Facts> {
  config: Config;
  facts: Facts;
  /** Places inside the section where secrets were withheld. */
  redactions?: SectionRedaction[];
}

export interface CurrentSection<Config, Facts> {
  config: Config;
  facts: Facts;
}

export interface ApplyContext {
  /** Reports progress of a long change (a package download) as one line. */
  progress(message: string): void;
  /** Milliseconds a single change may take before it counts as failed (jobs, transactions). */
  readonly changeTimeoutMs: number;
}

/**
 * The write side of a plugin. `plan` is pure; the rest do I/O through the Machine. The engine journals the
 * checkpoint before the first change, applies changes phase by phase and, on any failure, undoes them.
 */
export interface PluginWriter<Config, Facts> {
  /** The changes that make `current` equal `desired` (pure: no I/O, no clock). */
  plan(current: CurrentSection<Config, Facts>, desired: Config, options: PlanOptions): PluginPlan;
  /** What undoing `changes` needs (previous file contents, values), as JSON for the journal. */
  checkpoint(changes: readonly Change[], machine: Machine): Promise<unknown>;
  apply(change: Change, machine: Machine, context: ApplyContext): Promise<void>;
  /**
   * Puts back what `change` altered, from the checkpoint. Idempotent: it is also called for a change that
   * was interrupted and may or may not have taken effect.
   */
  undo(change: Change, checkpoint: unknown, machine: Machine, context: ApplyContext): Promise<void>;
  /** What is configured but takes effect only at the next boot, one line each (pure). */
  pendingReboot?(current: CurrentSection<Config, Facts>): string[];
}

export interface Plugin<Config = unknown, Facts = unknown> {
  /** Section name in the MachineState document and the value of `--plugin`. */
  readonly name: string;
  readonly summary: string;
  /** Well-known bus names this plugin manages. */
  readonly managedBusNames: readonly string[];
  readonly configSchema: z.ZodType<Config>;
  readonly factsSchema: z.ZodType<Facts>;

  /** Whether this plugin can read the machine; resolves with the reason when it cannot, never throws. */
  available(machine: Machine): Promise<Availability>;
  discover(machine: Machine, context: DiscoverContext): Promise<Discovered<Config, Facts>>;
  /** One line for the discover report saying what the section holds (pure). */
  summarize(config: Config, facts: Facts): string;

  /** Plans and applies changes; absent for plugins that only observe. */
  readonly writer?: PluginWriter<Config, Facts>;
  /** The section as NixOS options, and what NixOS cannot be told (pure). */
  toNix?(config: Config): NixContribution;
  /** The section as Ansible tasks and handlers, and what the playbook cannot do (pure). */
  toAnsible?(config: Config): AnsibleContribution;
}
