import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Plugin } from '../plugins/types.js';
import { hashOf } from './canonical.js';
import { InvalidDocumentError, sealDocument, validateDocument } from './document.js';
import { buildMachineStateSchema, type MachineState } from './schema.js';

const examplePlugin: Plugin = {
  name: 'example',
  summary: 'a plugin used only to exercise the document envelope',
  managedBusNames: [],
  configSchema: z.object({ enabled: z.record(z.string(), z.boolean()) }).strict(),
  factsSchema: z.object({ pid: z.number() }).strict(),
  available: async () => ({ ok: true }),
  discover: async () => ({ config: { enabled: {} }, facts: { pid: 1 } }),
  summarize: (config) => `${Object.keys(config as object).length} settings`,
};
const schema = buildMachineStateSchema([examplePlugin]);

function capture(enabled: Record<string, boolean>, pid = 1): MachineState {
  return sealDocument({
    apiVersion: 'op-dbus/v1',
    kind: 'MachineState',
    metadata: {
      hostname: 'web-01',
      machineId: 'a'.repeat(32),
      kernelRelease: '6.1.0',
      capturedAt: '2026-11-22T00:00:00.000Z',
      opDbusVersion: '0.1.0',
      source: { busAddress: 'unix:path=/run/dbus/system_bus_socket', root: '/' },
    },
    sections: { example: { config: { enabled }, facts: { pid } } },
    unavailable: [],
    redactions: [],
  });
}

describe('sealDocument', () => {
  it('hashes the canonical JSON of the document, of each section and of all config', () => {
    const { integrity, ...withoutIntegrity } = capture({ 'ssh.service': true });
    expect(integrity.document).toBe(hashOf(withoutIntegrity));
    expect(integrity.sections.example).toBe(hashOf(withoutIntegrity.sections.example));
    expect(integrity.config).toBe(hashOf({ example: { enabled: { 'ssh.service': true } } }));
  });

  it('hashes config separately from facts so a PID change is not drift', () => {
    const a = capture({ 'ssh.service': true }, 100);
    const b = capture({ 'ssh.service': true }, 200);
    expect(a.integrity.config).toBe(b.integrity.config);
    expect(a.integrity.sections.example).not.toBe(b.integrity.sections.example);
    expect(capture({ 'ssh.service': false }).integrity.config).not.toBe(a.integrity.config);
  });
});

describe('validateDocument', () => {
  it('accepts a sealed document', () => {
    const state = capture({ 'ssh.service': true });
    expect(validateDocument(schema, JSON.parse(JSON.stringify(state)), 'web-01.json')).toEqual(state);
  });

  it('names the JSON path of every schema violation', () => {
    const state = capture({ 'ssh.service': true }) as unknown as {
      sections: { example: { config: { enabled: unknown } } };
    };
    state.sections.example.config.enabled = { 'ssh.service': 'yes' };
    expect(() => validateDocument(schema, state, 'web-01.json')).toThrow(
      /\$\.sections\.example\.config\.enabled\["ssh\.service"\]/,
    );
  });

  it('rejects unknown sections and wrong API versions', () => {
    const state = {
      ...capture({}),
      apiVersion: 'op-dbus/v2',
      sections: { bogus: { config: {}, facts: {} } },
    };
    try {
      validateDocument(schema, state, 'x.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidDocumentError);
      const problems = (error as InvalidDocumentError).problems.join('\n');
      expect(problems).toMatch(/\$\.apiVersion/);
      expect(problems).toMatch(/bogus/);
    }
  });

  it('detects a section edited after capture', () => {
    const state = capture({ 'ssh.service': true });
    const edited = {
      ...state,
      sections: { example: { config: { enabled: { 'ssh.service': false } }, facts: { pid: 1 } } },
    };
    expect(() => validateDocument(schema, edited, 'web-01.json')).toThrow(/\$\.integrity\.sections\.example/);
  });
});
