// The packages section: which Debian packages a clone must install (config) and how they were read (facts).
import { z } from 'zod';

/** Debian policy 5.6.1: at least two characters, lower-case alphanumerics and `+ - .`, starting alphanumeric. */
export const DEBIAN_PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;
/** A config key: the package name, with `:arch` appended for packages of a foreign architecture. */
export const PACKAGE_KEY = /^[a-z0-9][a-z0-9+.-]+(:[a-z0-9][a-z0-9-]*)?$/;
/** The characters dpkg accepts in a version (epoch, upstream version, revision); it refuses any other. */
const DEBIAN_VERSION = /^[A-Za-z0-9.+~:-]+$/;
/** dpkg architecture names; empty for packages installed before dpkg recorded architectures. */
const DEBIAN_ARCHITECTURE = /^([a-z0-9][a-z0-9-]*)?$/;

export const installedPackageSchema = z
  .object({
    version: z
      .string()
      .regex(DEBIAN_VERSION)
      .describe('Installed version as dpkg writes it, epoch included (e.g. 1:2.3-4)'),
    architecture: z
      .string()
      .regex(DEBIAN_ARCHITECTURE)
      .describe('Debian architecture of the installed package (amd64, all, …)'),
    manual: z
      .boolean()
      .describe(
        'Installed on request rather than pulled in as a dependency (apt extended_states has no Auto-Installed: 1)',
      ),
  })
  .strict();

export const packagesConfigSchema = z
  .object({
    packages: z
      .record(z.string().regex(PACKAGE_KEY), installedPackageSchema)
      .describe('Installed packages keyed by name (name:arch for a foreign architecture), sorted by key'),
  })
  .strict();

export const packagesFactsSchema = z
  .object({
    source: z.enum(['packagekit', 'dpkg']).describe('Where the package list came from'),
    count: z.number().int().nonnegative().describe('Number of installed packages in config'),
    fallbackReason: z
      .string()
      .optional()
      .describe('Why PackageKit was not used, when the dpkg database was read instead'),
    nativeArchitecture: z
      .string()
      .nullable()
      .describe(
        "dpkg's native architecture: the architecture of the installed dpkg package (null when unknown)",
      ),
    autoInstalledMarks: z
      .enum(['read', 'absent'])
      .describe(
        "Whether apt's extended_states was found; when absent every package counts as manual, as apt does",
      ),
    invalidNames: z
      .array(z.string())
      .describe('Installed package names that break Debian policy, left out of config'),
  })
  .strict();

export type InstalledPackageConfig = z.infer<typeof installedPackageSchema>;
export type PackagesConfig = z.infer<typeof packagesConfigSchema>;
export type PackagesFacts = z.infer<typeof packagesFactsSchema>;
