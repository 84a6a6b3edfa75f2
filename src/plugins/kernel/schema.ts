// The kernel section: what can be desired (command line, modules to load, modprobe.d, sysctl.d) and what is
// only observed (boot parameters, loaded modules, vendor defaults, live sysctl values).
import { z } from 'zod';
import { fileProblemSchema } from '../shared/file-problem.js';

const moduleName = z
  .string()
  .describe('Kernel module name, `-` normalised to `_` as the kernel names modules');

export const modprobeConfigSchema = z
  .object({
    options: z
      .record(z.string(), z.array(z.string()))
      .describe('Module → parameters, accumulated from every `options` line in read order'),
    blacklist: z.array(moduleName).describe('Modules whose aliases are ignored (`blacklist`), sorted'),
    install: z
      .record(z.string(), z.string())
      .describe('Module → shell command run instead of inserting it (first `install` wins)'),
    remove: z
      .record(z.string(), z.string())
      .describe('Module → shell command run instead of removing it (first `remove` wins)'),
    aliases: z
      .array(z.object({ pattern: z.string(), module: moduleName }).strict())
      .describe('`alias` lines in the order kmod tries them'),
    softdeps: z
      .record(z.string(), z.object({ pre: z.array(moduleName), post: z.array(moduleName) }).strict())
      .describe('Module → modules loaded before (pre) and after (post) it'),
  })
  .strict();

const sysctlSettingSchema = z
  .object({
    value: z
      .string()
      .nullable()
      .describe('Value written to /proc/sys; null for `-key`, which excludes the key from glob assignments'),
    ignoreFailure: z.boolean().describe('Written as `-key = value`: a failure to set it is ignored'),
  })
  .strict();

export const kernelConfigSchema = z
  .object({
    commandLine: z
      .array(z.string())
      .nullable()
      .describe(
        'Kernel parameters that are not boot-specific, tokens as written and in order (NixOS boot.kernelParams); null when /proc/cmdline cannot be read',
      ),
    modulesLoad: z
      .array(moduleName)
      .describe('Modules loaded at boot by /etc/modules-load.d/*.conf and /etc/modules, sorted and unique'),
    modprobe: modprobeConfigSchema.describe('Merged /etc/modprobe.d/*.conf'),
    sysctl: z
      .record(z.string(), sysctlSettingSchema)
      .describe(
        'Dotted sysctl key (globs allowed) → setting, merged from /etc/sysctl.d/*.conf and /etc/sysctl.conf in apply order',
      ),
  })
  .strict();

const dropInFileSchema = z
  .object({
    path: z.string(),
    origin: z.enum(['config', 'vendor']).describe('`config` for /etc, `vendor` for /run and /usr/lib'),
    masked: z.boolean().describe('Symlink to /dev/null: hides the vendor file of the same name'),
  })
  .strict();

const dropInSourcesSchema = z
  .object({
    files: z.array(dropInFileSchema).describe('Files in the order they are applied'),
    shadowed: z
      .array(z.object({ path: z.string(), shadowedBy: z.string() }).strict())
      .describe('Files not read because a same-named file in a higher-priority directory is'),
  })
  .strict();

const loadedModuleSchema = z
  .object({
    name: z.string(),
    size: z.number().describe('Bytes of memory used'),
    refcount: z
      .number()
      .nullable()
      .describe('Users of the module; null when the kernel cannot unload modules'),
    usedBy: z.array(z.string()),
    state: z.string().describe('Live, Loading or Unloading'),
  })
  .strict();

export const kernelFactsSchema = z
  .object({
    commandLine: z
      .object({
        bootParameters: z
          .array(z.string())
          .describe('Boot-specific parameters (root device, image, initrd …) as written'),
        initArguments: z.array(z.string()).describe('Arguments after `--`, passed to init'),
      })
      .strict()
      .nullable(),
    loadedModules: z
      .array(loadedModuleSchema)
      .nullable()
      .describe('/proc/modules sorted by name; null when it does not exist'),
    modulesLoad: dropInSourcesSchema
      .extend({
        vendorModules: z
          .array(moduleName)
          .describe('Modules loaded by /run and /usr/lib modules-load.d files'),
      })
      .strict(),
    modprobe: dropInSourcesSchema
      .extend({ vendor: modprobeConfigSchema.describe('Merged vendor modprobe.d files') })
      .strict(),
    sysctl: dropInSourcesSchema
      .extend({
        vendorDefaults: z
          .record(z.string(), sysctlSettingSchema.extend({ path: z.string() }).strict())
          .describe('Settings from vendor sysctl.d files (/run, /usr/lib), with the file that sets each'),
        overriddenByVendor: z
          .array(z.string())
          .describe('Configured keys whose value a vendor file applied later replaces at boot'),
        live: z
          .record(z.string(), z.string().nullable())
          .describe(
            'Current value under /proc/sys for every non-glob configured or vendor key, whitespace collapsed; null when unreadable',
          ),
      })
      .strict(),
    problems: z
      .array(fileProblemSchema)
      .describe('Lines and files that could not be used, instead of silently dropping them'),
    unavailable: z.record(z.string(), z.string()).describe('Fact name → why it is null or empty'),
  })
  .strict();

export type KernelConfig = z.infer<typeof kernelConfigSchema>;
export type KernelFacts = z.infer<typeof kernelFactsSchema>;
