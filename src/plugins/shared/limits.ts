// Size limits a desired document must respect, so a hostile capture cannot make op-dbus write huge files.
import { z } from 'zod';

/** Largest file content a document may ask op-dbus to write (1 MiB). */
export const MAX_FILE_BYTES = 1024 * 1024;

/** The text of a file a plugin captures and may write back: bounded, secrets already redacted. */
export const fileContentSchema = z.string().refine((text) => Buffer.byteLength(text) <= MAX_FILE_BYTES, {
  message: `larger than ${MAX_FILE_BYTES} bytes`,
});
