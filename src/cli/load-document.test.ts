import { describe, expect, it } from 'vitest';
import type { SystemdConfig, SystemdFacts } from '../plugins/systemd/schema.js';
import { sealDocument } from '../state/document.js';
import type { MachineState } from '../state/schema.js';
import { UsageError } from './errors.js';
import { parseStateDocument } from './load-document.js';

const config: SystemdConfig = {
  defaultTarget: 'multi-user.target',
  unitFiles: { 'app.service': 'enabled' },
  activeState: { 'app.service': 'active' },
  files: { '/etc/systemd/system/app.service': { content: '[Service]\nExecStart=/usr/bin/app\n' } },
};

const facts: SystemdFacts = {
  source: 'dbus',
  unitFileStatesFrom: 'unit-directories',
  unclassifiedUnitFiles: {},
  ignoredFiles: {},
  problems: [],
  version: '257',
  systemState: 'running',
  virtualization: null,
  architecture: 'x86-64',
  units: {},
};

function capture(): MachineState {
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
    sections: { systemd: { config, facts } },
    unavailable: [],
    redactions: [],
  });
}

/** The message parseStateDocument refuses `text` with (it must refuse with a UsageError). */
function refusal(text: string): string {
  try {
    parseStateDocument(text, 'web-01.json');
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('the document was accepted');
}

/** The parts of a capture the tests edit, typed loosely enough to hold invalid values. */
interface EditableCapture {
  apiVersion: unknown;
  metadata: Record<string, unknown>;
  sections: {
    systemd: { config: { files: Record<string, { content: string }>; unitFiles: Record<string, string> } };
    [name: string]: unknown;
  };
  [member: string]: unknown;
}

/** A sealed capture edited by `edit` (after sealing), as JSON text. */
function edited(edit: (document: EditableCapture) => void): string {
  const document: EditableCapture = JSON.parse(JSON.stringify(capture()));
  edit(document);
  return JSON.stringify(document);
}

describe('parseStateDocument', () => {
  it('accepts a sealed capture', () => {
    expect(parseStateDocument(JSON.stringify(capture()), 'web-01.json')).toEqual(capture());
  });

  it('refuses text that is not JSON, naming the source', () => {
    expect(refusal('{"apiVersion": ')).toMatch(/^web-01\.json is not JSON: /);
    expect(refusal('')).toMatch(/^web-01\.json is not JSON/);
  });

  it('refuses JSON that is not an object', () => {
    for (const text of ['null', '[]', '"op-dbus/v1"', '42'])
      expect(refusal(text), text).toBe('web-01.json: $: a MachineState document is a JSON object');
  });

  it('refuses a missing or unknown apiVersion before anything else, naming $.apiVersion', () => {
    expect(refusal('{}')).toBe(
      'web-01.json: $.apiVersion: missing is not a version this op-dbus reads (op-dbus/v1)',
    );
    expect(refusal(edited((document) => (document.apiVersion = 'op-dbus/v2')))).toMatch(
      /^web-01\.json: \$\.apiVersion: "op-dbus\/v2" is not a version/,
    );
    expect(refusal('{"apiVersion": 1, "sections": 5}')).toMatch(/\$\.apiVersion: 1 is not/);
  });

  it('names the JSON path of every schema problem', () => {
    const message = refusal(
      edited((document) => {
        document.sections.systemd.config.files['/etc/shadow'] = { content: 'root::0:0' };
        document.sections.systemd.config.unitFiles['app.service'] = 'sometimes';
        document.metadata.capturedAt = 'yesterday';
      }),
    );
    expect(message).toMatch(/^web-01\.json is not a valid MachineState:/);
    expect(message).toContain('$.sections.systemd.config.files["/etc/shadow"]');
    expect(message).toContain('$.sections.systemd.config.unitFiles["app.service"]');
    expect(message).toContain('$.metadata.capturedAt');
  });

  it('refuses unknown sections and members', () => {
    expect(refusal(edited((document) => (document.sections.bogus = { config: {}, facts: {} })))).toMatch(
      /bogus/,
    );
    expect(refusal(edited((document) => (document.extra = true)))).toMatch(/extra/);
  });

  it('refuses a capture modified after it was sealed, naming what changed', () => {
    const sectionEdited = refusal(
      edited((document) => {
        document.sections.systemd.config.files['/etc/systemd/system/app.service'] = {
          content: '[Service]\nExecStart=/bin/sh\n',
        };
      }),
    );
    expect(sectionEdited).toContain('$.integrity.sections.systemd: section was modified after capture');
    const metadataEdited = refusal(edited((document) => (document.metadata.hostname = 'evil')));
    expect(metadataEdited).toContain('$.integrity.document: document was modified after capture');
    expect(metadataEdited).not.toContain('$.integrity.sections');
  });
});
