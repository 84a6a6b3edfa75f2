// Size limits a desired document must respect, so a hostile capture cannot make op-dbus write huge files.

/** Largest file content a document may ask op-dbus to write (1 MiB). */
export const MAX_FILE_BYTES = 1024 * 1024;
