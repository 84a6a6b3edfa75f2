// Which files under /etc are the administrator's kernel configuration, and which tool reads each: the only
// paths a kernel section may name, so a hostile document cannot make op-dbus write anywhere else.

export type AdminFileFamily = 'sysctl' | 'modules-load' | 'modprobe';

export interface AdminFileSet {
  family: AdminFileFamily;
  /** Drop-in directory whose `*.conf` files the tool reads, sorted by name. */
  dir: string;
  /** A single file read after the drop-ins unless a drop-in links to it (Debian's compatibility files). */
  legacyFile?: string;
}

export const ADMIN_FILE_SETS: readonly AdminFileSet[] = [
  { family: 'sysctl', dir: '/etc/sysctl.d', legacyFile: '/etc/sysctl.conf' },
  { family: 'modules-load', dir: '/etc/modules-load.d', legacyFile: '/etc/modules' },
  { family: 'modprobe', dir: '/etc/modprobe.d' },
];

/**
 * A drop-in name the tools read: ends in `.conf`, is not hidden (so never `.` or `..`), and has no `/` or
 * control character (a newline in a name would forge lines in listings).
 */
const DROP_IN_NAME = /^[^./\p{Cc}][^/\p{Cc}]*\.conf$/u;

export const ADMIN_FILE_PATH =
  /^\/etc\/(?:sysctl\.conf|modules|(?:sysctl|modules-load|modprobe)\.d\/[^./\p{Cc}][^/\p{Cc}]*\.conf)$/u;

export function isDropInName(name: string): boolean {
  return DROP_IN_NAME.test(name);
}

export function isKernelAdminFilePath(path: string): boolean {
  return ADMIN_FILE_PATH.test(path);
}

/** The set an admin path belongs to; undefined for any other path. */
export function adminFileSetOf(path: string): AdminFileSet | undefined {
  if (!isKernelAdminFilePath(path)) return undefined;
  return ADMIN_FILE_SETS.find((set) => path === set.legacyFile || path.startsWith(`${set.dir}/`));
}
