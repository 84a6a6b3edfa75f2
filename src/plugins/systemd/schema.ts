// The systemd section: unit enablement, wanted run state and admin unit files (config), and what the
// manager reports about itself and its loaded units (facts).
import { z } from 'zod';
import { isValidUnitName } from '../shared/unit-name.js';
import { UNIT_FILE_STATES } from './unit-file-state.js';

const unitName = z
  .string()
  .refine((name) => isValidUnitName(name), { message: 'not a valid systemd unit name' });
const absolutePath = z.string().regex(/^\//, 'must be an absolute path');

export const adminFileSchema = z.union([
  z.object({ content: z.string().describe('File content, secrets replaced by [REDACTED]') }).strict(),
  z.object({ linkTo: absolutePath.describe('Absolute target of the symlink') }).strict(),
]);

export const systemdConfigSchema = z
  .object({
    defaultTarget: unitName
      .nullable()
      .describe('The target the machine boots into (default.target), null when unset'),
    unitFiles: z
      .record(unitName, z.enum(UNIT_FILE_STATES))
      .describe(
        'Unit-file state of every unit file in the search path, like systemctl list-unit-files; sorted by name',
      ),
    activeState: z
      .record(unitName, z.enum(['active', 'inactive']))
      .describe(
        'Whether each loaded service, socket, timer, path and target unit runs (activating/reloading count as active, failed/deactivating as inactive)',
      ),
    files: z
      .record(absolutePath, adminFileSchema)
      .describe(
        'Admin unit files and drop-ins under /etc/systemd/system (content), and symlinks to files outside the unit directories (linkTo); enablement links, masks and aliases are in unitFiles',
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
        "unit-directories: derived from the unit directories with systemd's rules (fast); ListUnitFiles: asked the manager, because some unit file needed its judgement",
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
