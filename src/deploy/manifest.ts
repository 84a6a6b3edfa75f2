// The manifest of a deployment version: what it is, where it came from and how big it is. It travels inside
// every send stream (signed) and sits next to the version's tree in each store that holds it.
import { z } from 'zod';
import { describeZodIssues } from '../state/document.js';
import { versionNameSchema } from './layout.js';

export const MANIFEST_FORMAT = 'op-dbus-deploy-manifest/1';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const count = z.number().int().nonnegative();

export const manifestSchema = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    name: versionNameSchema,
    parent: versionNameSchema.nullable().describe('The version this one followed in its source store'),
    uuid: z
      .string()
      .regex(UUID, 'must be a lower-case UUID')
      .describe(
        'Identity of the tree: the btrfs UUID of the snapshot where it was taken, kept as the received UUID of every copy',
      ),
    generation: count.describe('btrfs generation (transaction id) at which the snapshot was taken'),
    created: z.iso.datetime({ offset: true }),
    sourceHost: z.string().max(255).nullable(),
    sizes: z
      .object({
        files: count,
        directories: count,
        symlinks: count,
        bytes: count.describe('regular file bytes'),
      })
      .strict(),
  })
  .strict();

export type Manifest = z.infer<typeof manifestSchema>;

export class InvalidManifestError extends Error {
  constructor(source: string, problems: readonly string[]) {
    super(`${source} is not a valid deployment manifest: ${problems.join('; ')}`);
    this.name = 'InvalidManifestError';
  }
}

export function parseManifest(value: unknown, source: string): Manifest {
  const result = manifestSchema.safeParse(value);
  if (!result.success) throw new InvalidManifestError(source, describeZodIssues(result.error.issues));
  return result.data;
}

/** Newest first by creation time, then generation, then name: the order `auto-parent` and `prune` rely on. */
export function compareNewestFirst(a: Manifest, b: Manifest): number {
  const byCreated = Date.parse(b.created) - Date.parse(a.created);
  if (byCreated !== 0) return byCreated;
  if (b.generation !== a.generation) return b.generation - a.generation;
  return a.name < b.name ? 1 : a.name > b.name ? -1 : 0;
}
