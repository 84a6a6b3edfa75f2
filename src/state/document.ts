// Building, hashing and validating MachineState documents.
import type { z } from 'zod';
import { canonicalJson, canonicalObjectOf, sha256Hex } from './canonical.js';
import { toDisplayPath } from './json-path.js';
import type { Integrity, MachineState } from './schema.js';

export function computeIntegrity(state: Omit<MachineState, 'integrity'>): Integrity {
  // Each part is encoded once and the texts reused: documents reach megabytes on busy machines.
  const sectionTexts: Record<string, string> = {};
  const configTexts: Record<string, string> = {};
  const sections: Record<string, string> = {};
  for (const [name, section] of Object.entries(state.sections)) {
    configTexts[name] = canonicalJson(section.config);
    sectionTexts[name] = canonicalObjectOf({
      config: configTexts[name],
      facts: canonicalJson(section.facts),
    });
    sections[name] = sha256Hex(sectionTexts[name]);
  }
  const documentText = canonicalObjectOf({
    apiVersion: canonicalJson(state.apiVersion),
    kind: canonicalJson(state.kind),
    metadata: canonicalJson(state.metadata),
    redactions: canonicalJson(state.redactions),
    sections: canonicalObjectOf(sectionTexts),
    unavailable: canonicalJson(state.unavailable),
  });
  return {
    algorithm: 'sha256',
    document: sha256Hex(documentText),
    sections,
    config: sha256Hex(canonicalObjectOf(configTexts)),
  };
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
