// PackageKit's enumerations as they travel on D-Bus (numbers from pk-enum.h, stable since 1.0) and the names
// PackageKit itself prints for them, so errors and progress read as `pkcon` shows them.

/** PkFilterEnum values travel as a bitfield of `1 << value`. */
export const FILTER = { installed: 1 << 2, notInstalled: 1 << 3 } as const;

/** PkTransactionFlagEnum values travel as a bitfield of `1 << value`. */
export const TRANSACTION_FLAG = { onlyTrusted: 1 << 1, simulate: 1 << 2 } as const;

/** PkInfoEnum values of the Package signal that this plugin acts on. */
export const INFO = { installed: 1, removing: 13 } as const;

/** PkExitEnum: only success means the transaction did all it was asked. */
export const EXIT_SUCCESS = 1;

const EXIT_NAMES = [
  'unknown',
  'success',
  'failed',
  'cancelled',
  'key-required',
  'eula-required',
  'killed',
  'media-change-required',
  'need-untrusted',
  'cancelled-priority',
  'skip-transaction',
  'repair-required',
];

const STATUS_NAMES = [
  'unknown',
  'wait',
  'setup',
  'running',
  'query',
  'info',
  'remove',
  'refresh-cache',
  'download',
  'install',
  'update',
  'cleanup',
  'obsolete',
  'dep-resolve',
  'sig-check',
  'test-commit',
  'commit',
  'request',
  'finished',
  'cancel',
  'download-repository',
  'download-packagelist',
  'download-filelist',
  'download-changelog',
  'download-group',
  'download-updateinfo',
  'repackaging',
  'loading-cache',
  'scan-applications',
  'generate-package-list',
  'waiting-for-lock',
  'waiting-for-auth',
  'scan-process-list',
  'check-executable-files',
  'check-libraries',
  'copy-files',
  'run-hook',
];

const ERROR_NAMES = [
  'unknown',
  'out-of-memory',
  'no-network',
  'not-supported',
  'internal-error',
  'gpg-failure',
  'package-id-invalid',
  'package-not-installed',
  'package-not-found',
  'package-already-installed',
  'package-download-failed',
  'group-not-found',
  'group-list-invalid',
  'dep-resolution-failed',
  'filter-invalid',
  'create-thread-failed',
  'transaction-error',
  'transaction-cancelled',
  'no-cache',
  'repo-not-found',
  'cannot-remove-system-package',
  'process-kill',
  'failed-initialization',
  'failed-finalise',
  'failed-config-parsing',
  'cannot-cancel',
  'cannot-get-lock',
  'no-packages-to-update',
  'cannot-write-repo-config',
  'local-install-failed',
  'bad-gpg-signature',
  'missing-gpg-signature',
  'cannot-install-source-package',
  'repo-configuration-error',
  'no-license-agreement',
  'file-conflicts',
  'package-conflicts',
  'repo-not-available',
  'invalid-package-file',
  'package-install-blocked',
  'package-corrupt',
  'all-packages-already-installed',
  'file-not-found',
  'no-more-mirrors-to-try',
  'no-distro-upgrade-data',
  'incompatible-architecture',
  'no-space-on-device',
  'media-change-required',
  'not-authorized',
  'update-not-found',
  'cannot-install-repo-unsigned',
  'cannot-update-repo-unsigned',
  'cannot-get-filelist',
  'cannot-get-requires',
  'cannot-disable-repository',
  'restricted-download',
  'package-failed-to-configure',
  'package-failed-to-build',
  'package-failed-to-install',
  'package-failed-to-remove',
  'failed-due-to-running-process',
  'package-database-changed',
  'provide-type-not-supported',
  'install-root-invalid',
  'cannot-fetch-sources',
  'cancelled-priority',
  'unfinished-transaction',
  'lock-required',
  'repo-already-set',
];

/** A later PackageKit may add values: those show as their number. */
const nameIn = (names: readonly string[], value: number) => names[value] ?? String(value);

export const exitName = (value: number) => nameIn(EXIT_NAMES, value);
export const statusName = (value: number) => nameIn(STATUS_NAMES, value);
export const errorName = (value: number) => nameIn(ERROR_NAMES, value);
