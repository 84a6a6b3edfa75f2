// Checks a desired document's paths and names must pass before op-dbus uses them on a machine.

/** Whether `text` has a C0 control character (newline, NUL, escape …) or DEL. */
export function hasControlCharacters(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** An absolute path with no `.` or `..` component, no empty component and no control characters. */
export function isCleanAbsolutePath(path: string): boolean {
  if (!path.startsWith('/') || path.length > 4096 || hasControlCharacters(path)) return false;
  return path
    .slice(1)
    .split('/')
    .every((part) => part !== '' && part !== '.' && part !== '..');
}
