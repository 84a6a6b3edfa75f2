// A line or file a plugin could not use, reported in its facts instead of being dropped silently.
import { z } from 'zod';

export const fileProblemSchema = z
  .object({
    path: z.string().describe('File under the machine root'),
    line: z.number().nullable().describe('1-based line number; null for the whole file'),
    text: z.string().nullable().describe('The offending line as written'),
    reason: z.string(),
  })
  .strict();

export type FileProblem = z.infer<typeof fileProblemSchema>;
