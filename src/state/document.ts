// Building, hashing and validating MachineState documents.
import type { z } from 'zod';
import { hashOf } from './canonical.js';
import { toDisplayPath } from './json-path.js';
import type { Integrity, MachineState, Section } from './schema.js';

export function computeIntegrity(state: Omit<MachineState, 'integrity'>): Integrity {
  const sections: Record<string, string> = {};
  const config: Record<string, unknown> = {};
  for (const [name, section] of Object.entries(state.sections)) {
    sections[name] = hashOf(section);
    config[name] = section.config;
  }
  const { integrity: _ignored, ...withoutIntegrity } = state as MachineState;
  return { algorithm: 'sha256', document: hashOf(withoutIntegrity), sections, config: hashOf(config) };
}

export function sealDocument(state: Omit<MachineState, 'integrity'>): MachineState {
  return { ...state, integrity: computeIntegrity(state) };
}

export class InvalidDocumentError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source} is not a valid MachineState:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'InvalidDocumentError';
  }
}

export function describeZodIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${toDisplayPath(issue.path)}: ${issue.message}`);
}

/** Validates a parsed document against the schema and its own integrity hashes. */
export function validateDocument(schema: z.ZodType, value: unknown, source: string): MachineState {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidDocumentError(source, describeZodIssues(result.error.issues));
  const state = result.data as MachineState;
  const expected = computeIntegrity(state);
  const problems: string[] = [];
  for (const [name, hash] of Object.entries(expected.sections)) {
    if (state.integrity.sections[name] !== hash)
      problems.push(`$.integrity.sections.${name}: section was modified after capture`);
  }
  if (state.integrity.document !== expected.document)
    problems.push('$.integrity.document: document was modified after capture');
  if (problems.length > 0) throw new InvalidDocumentError(source, problems);
  return state;
}

export function sectionOf<T extends Section>(state: MachineState, name: string): T | undefined {
  return state.sections[name] as T | undefined;
}
