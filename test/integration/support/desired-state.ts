// Desired states for apply tests: a target's own capture with changes made in code, sealed again so it is a
// valid document (as an operator editing a capture with `op-dbus` would get).
import { readFile, writeFile } from 'node:fs/promises';
import { sealDocument } from '../../../src/state/document.js';
import type { MachineState } from '../../../src/state/schema.js';
import { opDbus } from '../../support/run-cli.js';
import { type TestbedTarget, targetArgs } from '../testbed-env.js';

/** Captures `sections` of a target to `file` with the CLI and returns the document. */
export async function captureSections(
  t: TestbedTarget,
  file: string,
  sections: string,
): Promise<MachineState> {
  const captured = await opDbus(['discover', '--export', '-o', file, '--plugin', sections, ...targetArgs(t)]);
  if (captured.code !== 0) throw new Error(`capturing ${t.name} failed: ${captured.stderr}`);
  return readCapture(file);
}

export async function readCapture(file: string): Promise<MachineState> {
  return JSON.parse(await readFile(file, 'utf8')) as MachineState;
}

// biome-ignore lint/suspicious/noExplicitAny: tests edit deep inside sections whose types the plugins own.
type EditableSection = { config: any; facts: any };
export type EditableSections = Record<
  'systemd' | 'identity' | 'kernel' | 'packages' | 'network',
  EditableSection
>;

/** Writes `state` after `edit` changed a deep copy of it, with fresh integrity hashes. */
export async function writeEdited(
  state: MachineState,
  file: string,
  edit: (sections: EditableSections) => void,
): Promise<void> {
  const copy = structuredClone(state);
  edit(copy.sections as unknown as EditableSections);
  const { integrity: _stale, ...rest } = copy;
  await writeFile(file, JSON.stringify(sealDocument(rest)));
}
