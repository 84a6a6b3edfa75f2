// `op-dbus dbus`: the D-Bus services op-dbus exports. `install-policy` writes their dbus-daemon policy files;
// the command that serves them is added by the caller (see dbusCommand's parameter).
import { realpathSync } from 'node:fs';
import { Command, type CommandUnknownOpts } from '@commander-js/extra-typings';
import {
  installServiceUnit,
  SYSTEM_UNIT_DIRECTORY,
  type UnitInstallation,
} from '../services/install-unit.js';
import {
  InstallError,
  type InstallPolicyOptions,
  installPolicies,
  type PolicyInstallation,
} from '../services/policy/install-policy.js';
import { DEFAULT_POLICY_GROUP } from '../services/policy/policy-xml.js';
import { SERVICE_UNIT_NAME } from '../services/systemd-unit.js';
import { UsageError } from './errors.js';
import { toJsonText } from './output.js';

const RELOAD_HINT =
  'dbus-daemon notices new files in /etc/dbus-1/system.d and reloads its configuration by itself; to reload at once:\n  busctl call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus ReloadConfig';

function renderInstallation(installation: PolicyInstallation): string {
  if (installation.dryRun) {
    const files = installation.files.map((file) => `# ${file.path}\n${file.content}`);
    return `${files.join('\n')}\n(dry run: nothing written)\n`;
  }
  const lines = installation.files.map((file) => `wrote ${file.path} (${file.busName})`);
  lines.push(`group allowed to read and create: ${installation.group}`);
  if (installation.groupExists === false)
    lines.push(
      `note: group ${installation.group} does not exist yet: create it with 'groupadd --system ${installation.group}' (dbus-daemon ignores rules for unknown groups)`,
    );
  // Under another prefix the files are staged for a package or an image, not read by a running bus.
  if (installation.prefix === '/') lines.push(RELOAD_HINT);
  return `${lines.join('\n')}\n`;
}

function installPolicyCommand() {
  return new Command('install-policy')
    .description(
      'write the policy files of org.openvswitch.ovsdb, dev.ovs.PortAgent1 and org.opdbus to PREFIX/etc/dbus-1/system.d',
    )
    .option('--prefix <dir>', 'install under this directory (a package staging tree)', '/')
    .option('--group <name>', 'group whose members may call read and create methods', DEFAULT_POLICY_GROUP)
    .option('--dry-run', 'print the files instead of writing them')
    .option('--json', 'print the result as JSON')
    .action(async (options) => {
      const request: InstallPolicyOptions = {
        prefix: options.prefix,
        group: options.group,
        dryRun: options.dryRun === true,
      };
      let installation: PolicyInstallation;
      try {
        installation = await installPolicies(request);
      } catch (error) {
        if (error instanceof InstallError) throw new UsageError(error.message, error.hint);
        throw error;
      }
      process.stdout.write(options.json ? toJsonText(installation) : renderInstallation(installation));
    });
}

function installUnitCommand() {
  return new Command('install-unit')
    .description(
      `write the systemd unit that runs \`op-dbus dbus serve\` to PREFIX${SYSTEM_UNIT_DIRECTORY}/${SERVICE_UNIT_NAME}`,
    )
    .option('--prefix <dir>', 'install under this directory (a package staging tree, a container root)', '/')
    .option('--node <path>', 'node binary the unit runs (default: the one running now)', process.execPath)
    .option('--entry <path>', "op-dbus's bin/op-dbus.js (default: the one running now)")
    .option('--dry-run', 'print the unit instead of writing it')
    .action(async (options) => {
      let installation: UnitInstallation;
      try {
        installation = await installServiceUnit({
          prefix: options.prefix,
          node: options.node,
          entryPoint: options.entry ?? realpathSync(process.argv[1] ?? ''),
          dryRun: options.dryRun === true,
        });
      } catch (error) {
        if (error instanceof InstallError) throw new UsageError(error.message, error.hint);
        throw error;
      }
      process.stdout.write(
        installation.dryRun
          ? `# ${installation.path}\n${installation.content}(dry run: nothing written)\n`
          : `wrote ${installation.path}\nthen: systemctl daemon-reload && systemctl enable --now ${SERVICE_UNIT_NAME}\n`,
      );
    });
}

/** `serveCommand` is the `dbus serve` subcommand, defined in its own file and wired in by main.ts. */
export function dbusCommand(serveCommand?: CommandUnknownOpts): Command {
  const command = new Command('dbus')
    .description("op-dbus's own D-Bus services and their access policy")
    .addCommand(installPolicyCommand())
    .addCommand(installUnitCommand());
  if (serveCommand) command.addCommand(serveCommand);
  return command;
}
