// The op-dbus command-line program: one thin file per command, errors printed without stack traces.
import { Command, CommanderError } from '@commander-js/extra-typings';
import { z } from 'zod';
import { OP_DBUS_VERSION } from '../version.js';
import { applyCommand } from './apply-command.js';
import { dbusCommand } from './dbus-command.js';
import { dbusServeCommand } from './dbus-serve-command.js';
import { deployCommand } from './deploy-command.js';
import { diffCommand } from './diff-command.js';
import { discoverCommand } from './discover-command.js';
import { formatError } from './errors.js';
import { exportCommand } from './export-command.js';
import { ledgerCommand } from './ledger-command.js';
import { planCommand } from './plan-command.js';
import { queryCommand } from './query-command.js';
import { recoverCommand } from './recover-command.js';
import { schemaCommand } from './schema-command.js';
import { verifyCommand } from './verify-command.js';

export function buildProgram(): Command {
  return new Command('op-dbus')
    .description('Clone, verify and twin Linux machines through their own D-Bus APIs')
    .version(OP_DBUS_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExit status: 0 ok, 1 error (bad input, or nothing could be read); plan, verify and diff: 2 changes or drift found.\nEnvironment: OPDBUS_BUS_ADDRESS (default bus), OPDBUS_DEBUG=1 (stack traces).',
    )
    .addCommand(discoverCommand())
    .addCommand(deployCommand())
    .addCommand(ledgerCommand())
    .addCommand(queryCommand())
    .addCommand(planCommand())
    .addCommand(applyCommand())
    .addCommand(verifyCommand())
    .addCommand(diffCommand())
    .addCommand(exportCommand())
    .addCommand(recoverCommand())
    .addCommand(schemaCommand())
    .addCommand(dbusCommand(dbusServeCommand()))
    .exitOverride();
}

export async function main(argv: readonly string[]): Promise<number> {
  // A command validates each schema a handful of times: compiling validators (zod's JIT) costs more than it saves.
  z.config({ jitless: true });
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    process.stderr.write(`${formatError(error, process.env.OPDBUS_DEBUG === '1')}\n`);
    return 1;
  }
}
