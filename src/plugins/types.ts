// The contract every plugin implements: one area of a machine (systemd, kernel, …), discovered into a
// section that separates config (what can be desired and applied) from facts (observed only).
import type { z } from 'zod';
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

/** One planned change to one plugin's area (produced by `plan`, carried out by `apply`). */
export interface Change {
  plugin: string;
  kind: string;
  target: string;
  description: string;
  before?: unknown;
  after?: unknown;
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

  // The write side, delivered by the apply and exporter issues: `plan` is pure, the rest do I/O.
  plan?(current: Config | undefined, desired: Config): Change[];
  apply?(change: Change, machine: Machine): Promise<void>;
  checkpoint?(machine: Machine): Promise<unknown>;
  restore?(checkpoint: unknown, machine: Machine): Promise<void>;
  toNix?(config: Config): string;
  toAnsible?(config: Config): unknown[];
}
