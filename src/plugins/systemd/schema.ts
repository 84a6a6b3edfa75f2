// The systemd section: unit enablement, wanted run state and admin unit files (config), and what the
// manager reports about itself and its loaded units (facts).
import { z } from 'zod';
import { checkedKeyRecord } from '../shared/checked-record.js';
import { fileProblemSchema } from '../shared/file-problem.js';
import { fileContentSchema } from '../shared/limits.js';
import { isCleanAbsolutePath } from '../shared/safe-path.js';
import { isValidUnitName } from '../shared/unit-name.js';
import { ADMIN_UNIT_DIR, isAdminUnitFilePath } from './admin-files.js';
import { UNIT_FILE_STATES } from './unit-file-state.js';

const absolutePath = z.string().regex(/^\//, 'must be an absolute path');
const linkTarget = z.string().refine(isCleanAbsolutePath, {
  message: 'must be an absolute path without control characters, empty, . or .. components',
});
const UNIT_NAME_RULE = 'not a valid systemd unit name (name.type, characters A-Z a-z 0-9 : _ . \\ @ -)';
const unitName = (what: string) =>
  z.string().refine(isValidUnitName, { message: UNIT_NAME_RULE }).describe(what);
const unitRecord = <Value extends z.ZodType>(value: Value) =>
  checkedKeyRecord((name) => isValidUnitName(name), UNIT_NAME_RULE, value);

export const adminFileSchema = z.union([
  z
    .object({
      content: fileContentSchema.describe('File content, secrets replaced by [REDACTED]'),
    })
    .strict(),
  z.object({ linkTo: linkTarget.describe('Absolute target of the symlink') }).strict(),
]);

export const systemdConfigSchema = z
  .object({
    defaultTarget: unitName('The target the machine boots into (default.target)')
      .nullable()
      .describe('The target the machine boots into (default.target), null when unset'),
    unitFiles: unitRecord(z.enum(UNIT_FILE_STATES)).describe(
      'Unit-file state of every unit file in the search path, like systemctl list-unit-files; sorted by name',
    ),
    activeState: unitRecord(z.enum(['active', 'inactive'])).describe(
      "Whether each unit whose run state is an admin's choice runs: units whose unit-file state is enabled, enabled-runtime, disabled, linked or linked-runtime (templates excluded; not loaded, failed and deactivating count as inactive, activating and reloading as active). Other units run when a dependency or an activation pulls them in: their state is in facts.units. Empty when the manager could not be asked",
    ),
    files: checkedKeyRecord(
      isAdminUnitFilePath,
      `must be ${ADMIN_UNIT_DIR}/<unit name> or ${ADMIN_UNIT_DIR}/<unit>.d/<name>.conf`,
      adminFileSchema,
    ).describe(
      'Admin unit files and drop-ins under /etc/systemd/system (content), and symlinks to files outside the unit directories (linkTo); enablement links, masks and aliases are in unitFiles; other files there are only listed, in facts.ignoredFiles',
    ),
  })
  .strict();

export const loadedUnitSchema = z
  .object({
    load: z.string().describe('Load state (loaded, not-found, masked, bad-setting, error …)'),
    active: z.string().describe('Active state (active, inactive, failed, activating, deactivating …)'),
    sub: z.string().describe('Type-specific sub-state (running, exited, dead, listening, mounted …)'),
    description: z.string().describe('Description= of the unit'),
  })
  .strict();

export const systemdFactsSchema = z
  .object({
    source: z
      .enum(['dbus', 'files'])
      .describe('dbus: the manager answered; files: only the unit directories were read'),
    busUnavailableReason: z
      .string()
      .optional()
      .describe('Why the manager could not be asked, when source is files'),
    unitFileStatesFrom: z
      .enum(['unit-directories', 'ListUnitFiles'])
      .describe(
        "unit-directories: derived from the unit directories with systemd's rules (fast); ListUnitFiles: asked the manager, as whyListUnitFiles says",
      ),
    whyListUnitFiles: z
      .string()
      .optional()
      .describe(
        'Why the manager was asked for the unit-file states instead of deriving them from the directories',
      ),
    unclassifiedUnitFiles: z
      .record(z.string(), z.string())
      .describe(
        'Unit files the derivation could not classify, with the reason (left out of config when the manager could not be asked)',
      ),
    ignoredFiles: z
      .record(absolutePath, z.string())
      .describe(
        'Files under /etc/systemd/system that are neither unit files nor drop-ins (an env file, a backup copy), with the reason; never copied into the capture',
      ),
    problems: z
      .array(fileProblemSchema)
      .describe(
        'Files that could not be read, and unit files the manager lists under names that are not unit names',
      ),
    version: z.string().nullable().describe('systemd version (Manager.Version)'),
    systemState: z.string().nullable().describe('Manager.SystemState: running, degraded, starting …'),
    virtualization: z
      .string()
      .nullable()
      .describe('Manager.Virtualization: systemd-nspawn, kvm …; null on bare metal'),
    architecture: z.string().nullable().describe('Manager.Architecture: x86-64, arm64 …'),
    units: z
      .record(z.string(), loadedUnitSchema)
      .describe('Every unit the manager has loaded, like systemctl list-units --all; sorted by name'),
  })
  .strict();

export type SystemdConfig = z.infer<typeof systemdConfigSchema>;
export type SystemdFacts = z.infer<typeof systemdFactsSchema>;
export type AdminFile = z.infer<typeof adminFileSchema>;
