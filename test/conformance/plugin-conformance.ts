// The one conformance suite every plugin passes: the same checks run for each registered plugin, against
// a fixture root in the unit suite and against a real systemd container in the integration suite.
import { afterAll, describe, expect, it } from 'vitest';
import { discoverMachine } from '../../src/engine/discover.js';
import type { Machine } from '../../src/machine/machine.js';
import { plugins } from '../../src/plugins/registry.js';
import type { Plugin } from '../../src/plugins/types.js';
import { hashOf } from '../../src/state/canonical.js';
import { validateDocument } from '../../src/state/document.js';
import { REDACTED } from '../../src/state/redact.js';
import { buildMachineStateSchema } from '../../src/state/schema.js';

export interface ConformanceOptions {
  /** Label for the describe block (e.g. "fixture root" or "real target"). */
  where: string;
  machine: () => Machine;
  /** A secret planted on the machine: it must not appear anywhere in a capture. */
  plantedSecret: string;
  /** Plugins that must be available on this machine. */
  mustBeAvailable: readonly string[];
}

const BUS_NAME = /^[A-Za-z_-][A-Za-z0-9_-]*(\.[A-Za-z_-][A-Za-z0-9_-]*)+$/;

function valueAtPointer(document: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], document);
}

export function describePluginConformance(options: ConformanceOptions): void {
  const opened: Machine[] = [];
  const machine = () => {
    const created = options.machine();
    opened.push(created);
    return created;
  };
  afterAll(async () => {
    await Promise.all(opened.map((m) => m.close()));
  });

  describe.each(plugins.map((plugin) => [plugin.name, plugin] as const))(
    `plugin %s on a ${options.where}`,
    (_name, plugin: Plugin) => {
      it('declares a section name, a summary and valid managed bus names', () => {
        expect(plugin.name).toMatch(/^[a-z][a-z0-9-]*$/);
        expect(plugin.summary.length).toBeGreaterThan(10);
        for (const busName of plugin.managedBusNames) expect(busName).toMatch(BUS_NAME);
      });

      it('answers available() without throwing, with a reason when unavailable', async () => {
        const availability = await plugin.available(machine());
        if (availability.ok) expect(availability).toEqual({ ok: true });
        else expect(availability.reason.length).toBeGreaterThan(0);
        if (options.mustBeAvailable.includes(plugin.name)) expect(availability).toEqual({ ok: true });
      });

      it('discovers a section that its own schemas accept, deterministically', async () => {
        const target = machine();
        if (!(await plugin.available(target)).ok) {
          expect(options.mustBeAvailable).not.toContain(plugin.name);
          return;
        }
        const first = await plugin.discover(target, { managedBusNames: new Map() });
        const second = await plugin.discover(target, { managedBusNames: new Map() });
        expect(plugin.configSchema.safeParse(first.config).success).toBe(true);
        expect(plugin.factsSchema.safeParse(first.facts).success).toBe(true);
        expect(hashOf(second.config)).toBe(hashOf(first.config));
        expect(plugin.summarize(first.config, first.facts)).toMatch(/\S/);
      });

      it('never captures the planted secret and records every redaction at a redacted value', async () => {
        const { state } = await discoverMachine(machine(), { plugins: [plugin], registry: plugins });
        expect(JSON.stringify(state)).not.toContain(options.plantedSecret);
        for (const redaction of state.redactions) {
          expect(redaction.path.startsWith(`/sections/${plugin.name}/`)).toBe(true);
          expect(JSON.stringify(valueAtPointer(state, redaction.path))).toContain(REDACTED);
        }
      });

      it('produces a document that validates as MachineState v1', async () => {
        const { state } = await discoverMachine(machine(), { plugins: [plugin], registry: plugins });
        const reparsed = JSON.parse(JSON.stringify(state));
        expect(validateDocument(buildMachineStateSchema(plugins), reparsed, 'capture')).toEqual(state);
        const listed = Object.keys(state.sections).length + state.unavailable.length;
        expect(listed).toBe(1);
      });
    },
  );
}
