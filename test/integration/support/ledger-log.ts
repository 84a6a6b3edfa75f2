// A machine's ledger as `op-dbus ledger log --json` shows it to an operator: the independent view tests compare
// what a service says it recorded against.
import type { LedgerEntry } from '../../../src/ledger/entry.js';
import { opDbus } from '../../support/run-cli.js';

/** Every entry of the ledger under `root`, oldest first (none when there is no ledger yet). */
export async function ledgerLog(root: string): Promise<LedgerEntry[]> {
  const result = await opDbus(['ledger', 'log', '--json', '--root', root]);
  if (result.code !== 0) throw new Error(`op-dbus ledger log --root ${root} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as LedgerEntry[];
}
