// The kernel section: what can be desired (the admin's sysctl.d, modules-load.d and modprobe.d files, the
// configured command line) and what is only observed (the running kernel's parameters, loaded modules,
// vendor defaults, live sysctl values).
import { z } from 'zod';
import { fileProblemSchema } from '../shared/file-problem.js';
import { fileContentSchema } from '../shared/limits.js';
import { hasControlCharacters } from '../shared/safe-path.js';
import { ADMIN_FILE_PATH } from './admin-paths.js';
import { splitKernelArguments } from './parse-cmdline.js';

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

const PATH_RULE =
  'must be /etc/sysctl.conf, /etc/modules, or a <name>.conf (not hidden, no control characters) directly in /etc/sysctl.d, /etc/modules-load.d or /etc/modprobe.d';

export const kernelAdminFileSchema = z.union([
  z
    .object({
      content: fileContentSchema.describe('File content, secrets replaced by [REDACTED]'),
    })
    .strict(),
  z
    .object({
      masked: z.literal(true).describe('Symlink to /dev/null: hides the vendor file of the same name'),
    })
    .strict(),
  z
    .object({
      linkTo: z
        .string()
        .regex(ADMIN_FILE_PATH, PATH_RULE)
        .describe(
          'Symlink to another admin file of this section (Debian links 99-sysctl.conf to /etc/sysctl.conf)',
        ),
    })
    .strict(),
]);

/** One kernel parameter as the kernel splits them: no unquoted blank, no control character, not `--`. */
const kernelParameter = z.string().refine(
  (token) => {
    const split = splitKernelArguments(token);
    return token !== '--' && !hasControlCharacters(token) && split.length === 1 && split[0] === token;
  },
  { message: 'must be one kernel parameter (blanks only inside double quotes, no control characters)' },
);

const MAX_LINK_HOPS = 8;

export const kernelConfigSchema = z
  .object({
    files: z
      .record(z.string().regex(ADMIN_FILE_PATH, PATH_RULE), kernelAdminFileSchema)
      .describe(
        'The admin files under /etc/sysctl.d, /etc/sysctl.conf, /etc/modules-load.d, /etc/modules and /etc/modprobe.d (*.conf): content, mask or link; sorted by path. The merged values below follow from them',
      ),
    commandLine: z
      .array(kernelParameter)
      .nullable()
      .describe(
        "Kernel parameters configured for the next boot that are not boot-specific, tokens as written and in order (NixOS boot.kernelParams): from /etc/kernel/cmdline if it exists, else /etc/default/grub (GRUB_CMDLINE_LINUX then GRUB_CMDLINE_LINUX_DEFAULT), else the running kernel's /proc/cmdline; null when none can be read",
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
  .strict()
  .superRefine((config, context) => {
    // A link must end at a file of the document, or the machine would get a dangling symlink.
    for (const [path, file] of Object.entries(config.files)) {
      let at: z.infer<typeof kernelAdminFileSchema> | undefined = file;
      for (let hops = 0; at && 'linkTo' in at && hops <= MAX_LINK_HOPS; hops++) at = config.files[at.linkTo];
      if (at && !('linkTo' in at)) continue;
      context.addIssue({
        code: 'custom',
        path: ['files', path, 'linkTo'],
        message: `must name a file of this section with content or a mask, in at most ${MAX_LINK_HOPS} links`,
      });
    }
  });

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

export const KERNEL_CMDLINE_PATH = '/etc/kernel/cmdline';
export const GRUB_DEFAULT_PATH = '/etc/default/grub';

export const kernelFactsSchema = z
  .object({
    commandLine: z
      .object({
        configuredIn: z
          .enum([KERNEL_CMDLINE_PATH, GRUB_DEFAULT_PATH])
          .nullable()
          .describe(
            'Where config.commandLine was read; null when no boot loader file exists (it is the live one)',
          ),
        pendingReboot: z
          .boolean()
          .nullable()
          .describe(
            "The configured parameters differ from the running kernel's; null when /proc/cmdline cannot be read",
          ),
        live: z
          .array(z.string())
          .nullable()
          .describe('Parameters of the running kernel (/proc/cmdline) that are not boot-specific'),
        bootParameters: z
          .array(z.string())
          .nullable()
          .describe(
            'Boot-specific parameters of the running kernel (root device, image, initrd …) as written',
          ),
        initArguments: z
          .array(z.string())
          .nullable()
          .describe("Arguments after `--` on the running kernel's command line, passed to init"),
        grub: z
          .object({
            linux: z
              .array(z.string())
              .describe('Parameters of GRUB_CMDLINE_LINUX that are not boot-specific (every boot entry)'),
            linuxDefault: z
              .array(z.string())
              .describe(
                'Parameters of GRUB_CMDLINE_LINUX_DEFAULT that are not boot-specific (default entry)',
              ),
            assignedInDropIns: z
              .array(z.string())
              .describe(
                '/etc/default/grub.d/*.cfg files that assign either variable after /etc/default/grub',
              ),
          })
          .strict()
          .nullable()
          .describe('/etc/default/grub evaluated as grub-mkconfig sources it; null when it does not exist'),
      })
      .strict(),
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
export type KernelAdminFile = z.infer<typeof kernelAdminFileSchema>;
export type KernelCommandLineFacts = KernelFacts['commandLine'];
