// Installs the policy files of the services op-dbus exports under a prefix (`/` on a live system, a staging
// directory for packages): each rendered for the chosen group and written atomically, mode 0644.
import { stat } from 'node:fs/promises';
import { posix, resolve } from 'node:path';
import { RootFs } from '../../machine/root-fs.js';
import { SERVICE_CONTRACTS } from './contracts.js';
import { policyFileName, policyGroupProblem, renderPolicy, SYSTEM_POLICY_DIRECTORY } from './policy-xml.js';

export interface InstallPolicyOptions {
  prefix: string;
  group: string;
  dryRun: boolean;
}

export interface PolicyFile {
  busName: string;
  /** Where the file is (or, in a dry run, would be) on this host. */
  path: string;
  content: string;
}

export interface PolicyInstallation {
  /** The install prefix, resolved: `/` on a live system. */
  prefix: string;
  group: string;
  dryRun: boolean;
  files: PolicyFile[];
  /** Whether PREFIX/etc/group lists the group; undefined when the prefix has no /etc/group (a staging tree). */
  groupExists: boolean | undefined;
}

/** Installing a policy file or unit failed, or was refused before anything was written (bad name or prefix). */
export class InstallError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'InstallError';
  }
}

async function groupListed(files: RootFs, group: string): Promise<boolean | undefined> {
  const text = await files.readText('/etc/group');
  if (text === undefined) return undefined;
  return text.split('\n').some((line) => line.split(':')[0] === group);
}

/** Renders every file first, so bad input writes nothing; then writes them one by one. */
export async function installPolicies(options: InstallPolicyOptions): Promise<PolicyInstallation> {
  const problem = policyGroupProblem(options.group);
  if (problem) throw new InstallError(problem, 'give a group name with --group');
  const prefix = resolve(options.prefix);
  const prefixInfo = await stat(prefix).catch(() => undefined);
  if (!prefixInfo?.isDirectory())
    throw new InstallError(
      `install prefix ${prefix} is not a directory`,
      'give an existing directory with --prefix',
    );
  const root = new RootFs(prefix);
  const files = SERVICE_CONTRACTS.map((contract) => {
    const machinePath = posix.join(SYSTEM_POLICY_DIRECTORY, policyFileName(contract));
    return {
      busName: contract.busName,
      machinePath,
      path: posix.join(prefix, machinePath),
      content: renderPolicy(contract, options.group),
    };
  });
  if (!options.dryRun) {
    for (const file of files) {
      try {
        await root.writeFile(file.machinePath, file.content, { mode: 0o644 });
      } catch (error) {
        throw new InstallError(
          `cannot write ${file.path}: ${(error as Error).message}`,
          'installing into /etc needs root; give --prefix to install elsewhere',
        );
      }
    }
  }
  return {
    prefix,
    group: options.group,
    dryRun: options.dryRun,
    files: files.map(({ busName, path, content }) => ({ busName, path, content })),
    groupExists: await groupListed(root, options.group),
  };
}
