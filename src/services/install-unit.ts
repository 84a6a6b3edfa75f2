// Installs the systemd unit of `op-dbus dbus serve` under a prefix, pointing at the node binary and the op-dbus
// entry point given (by default the ones running now), so the unit starts the same op-dbus the operator ran.
import { stat } from 'node:fs/promises';
import { isAbsolute, posix, resolve } from 'node:path';
import { RootFs } from '../machine/root-fs.js';
import { InstallError } from './policy/install-policy.js';
import { SERVICE_UNIT_NAME, type ServiceUnitOptions, serviceUnitText } from './systemd-unit.js';

export const SYSTEM_UNIT_DIRECTORY = '/etc/systemd/system';

export interface InstallUnitOptions extends ServiceUnitOptions {
  prefix: string;
  dryRun: boolean;
}

export interface UnitInstallation {
  path: string;
  content: string;
  dryRun: boolean;
}

export async function installServiceUnit(options: InstallUnitOptions): Promise<UnitInstallation> {
  for (const [flag, path] of [
    ['--node', options.node],
    ['--entry', options.entryPoint],
  ] as const) {
    if (!isAbsolute(path) || /[\0\n]/.test(path))
      throw new InstallError(`${flag} ${JSON.stringify(path)} must be an absolute path`);
  }
  const prefix = resolve(options.prefix);
  if (!(await stat(prefix).catch(() => undefined))?.isDirectory())
    throw new InstallError(
      `install prefix ${prefix} is not a directory`,
      'give an existing directory with --prefix',
    );
  const machinePath = posix.join(SYSTEM_UNIT_DIRECTORY, SERVICE_UNIT_NAME);
  const content = serviceUnitText(options);
  if (!options.dryRun) {
    try {
      await new RootFs(prefix).writeFile(machinePath, content, { mode: 0o644 });
    } catch (error) {
      throw new InstallError(
        `cannot write ${posix.join(prefix, machinePath)}: ${(error as Error).message}`,
        'installing into /etc needs root; give --prefix to install elsewhere',
      );
    }
  }
  return { path: posix.join(prefix, machinePath), content, dryRun: options.dryRun };
}
