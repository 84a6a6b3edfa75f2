// `op-dbus ledger log|verify|show`: read and check the machine's audit ledger.
import { readFile } from 'node:fs/promises';
import { Command } from '@commander-js/extra-typings';
import {
  LEDGER_PATHS,
  type LedgerEntry,
  type LedgerLine,
  type LedgerVerification,
  openLedger,
} from '../ledger/ledger.js';
import { UsageError } from './errors.js';
import {
  busAddressOption,
  machineFromFlags,
  parsePositiveInt,
  rootOption,
  timeoutOption,
} from './machine-options.js';
import { toJsonText } from './output.js';

const short = (hash: string | null, length: number): string => (hash === null ? '-' : hash.slice(0, length));
const shortTime = (time: string): string => time.replace(/\.\d+Z$/, 'Z');

function logRow(line: LedgerLine): string[] {
  if ('problem' in line) return [`line ${line.line}`, `(not a ledger entry: ${line.problem})`];
  const { entry } = line;
  return [
    String(entry.sequence),
    shortTime(entry.time),
    entry.actor,
    entry.action,
    entry.result,
    short(entry.hash, 12),
    short(entry.planHash, 12),
    `${short(entry.stateBefore, 8)}→${short(entry.stateAfter, 8)}`,
  ];
}

/** Columns padded to their widest cell; a short row (a bad line) just runs on. */
function renderTable(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [index, cell] of row.entries()) widths[index] = Math.max(widths[index] ?? 0, cell.length);
  }
  return rows
    .map((row) =>
      row
        .map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
        .join('  '),
    )
    .join('\n');
}

function renderEntry(entry: LedgerEntry): string {
  const fields: [string, string][] = [
    ['sequence', String(entry.sequence)],
    ['time', entry.time],
    ['actor', entry.actor],
    ['action', entry.action],
    ['result', entry.result],
    ['plan hash', entry.planHash ?? '-'],
    ['state before', entry.stateBefore ?? '-'],
    ['state after', entry.stateAfter ?? '-'],
    ['previous hash', entry.previousHash],
    ['hash', entry.hash],
    ['signature', entry.signature],
  ];
  const width = Math.max(...fields.map(([name]) => name.length));
  const text = fields.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join('\n');
  const details = entry.details === undefined ? '' : `\ndetails\n${JSON.stringify(entry.details, null, 2)}`;
  return `${text}${details}\n`;
}

function renderVerification(result: LedgerVerification): string {
  if (!result.ok) {
    const { sequence, line, reason } = result.firstBad;
    const where =
      sequence === undefined
        ? ''
        : `first bad entry: sequence ${sequence}${line === undefined ? ' (past the last line)' : ` (line ${line})`}: `;
    return `✗ Ledger tampered (${result.count} lines): ${where}${reason}\n`;
  }
  if (result.count === 0) return `The ledger has no entries (${LEDGER_PATHS.entries}).\n`;
  const lag =
    result.headSequence < result.count
      ? `\n  The head records sequence ${result.headSequence}: an append was interrupted before it updated the head; the next append updates it.`
      : '';
  return `✓ Ledger intact: ${result.count} entries, signed by key ${result.publicKeyFingerprint}.${lag}\n`;
}

async function readPublicKeyFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --public-key ${path}: ${(error as Error).message}`);
  }
}

function logCommand() {
  return new Command('log')
    .description('list the entries, oldest first: sequence, time, actor, action, result and short hashes')
    .option('--json', 'print the entries as a JSON array')
    .option('--limit <n>', 'only the last N entries')
    .addOption(busAddressOption())
    .addOption(rootOption())
    .addOption(timeoutOption())
    .action(async (options) => {
      const limit = options.limit === undefined ? undefined : parsePositiveInt(options.limit, '--limit');
      const all = await openLedger(machineFromFlags(options)).lines();
      const lines = limit === undefined ? all : all.slice(-limit);
      const bad = all.filter((line) => 'problem' in line).length;
      if (bad > 0)
        process.stderr.write(
          `op-dbus: warning: ${bad} line(s) are not ledger entries; run \`op-dbus ledger verify\`\n`,
        );
      if (options.json) {
        process.stdout.write(toJsonText(lines.map((line) => ('entry' in line ? line.entry : line))));
      } else if (all.length === 0) {
        process.stdout.write(`The ledger has no entries (${LEDGER_PATHS.entries}).\n`);
      } else {
        const header = ['SEQ', 'TIME', 'ACTOR', 'ACTION', 'RESULT', 'HASH', 'PLAN', 'STATE'];
        process.stdout.write(`${renderTable([header, ...lines.map(logRow)])}\n`);
      }
    });
}

function verifyCommand() {
  return new Command('verify')
    .description(
      'check every entry, the chain and the head; exit 0 intact (or no entries), 2 tampered (naming the first bad entry), 1 error',
    )
    .option('--json', 'print the result as JSON')
    .option(
      '--public-key <file>',
      'verify against this public key (a copy kept off the machine) instead of its own',
    )
    .addOption(busAddressOption())
    .addOption(rootOption())
    .addOption(timeoutOption())
    .action(async (options) => {
      const ledger = openLedger(machineFromFlags(options));
      const publicKeyPem =
        options.publicKey === undefined ? undefined : await readPublicKeyFile(options.publicKey);
      const result = await ledger.verify(publicKeyPem === undefined ? {} : { publicKeyPem });
      process.stdout.write(options.json ? toJsonText(result) : renderVerification(result));
      if (!result.ok) process.exitCode = 2;
    });
}

function showCommand() {
  return new Command('show')
    .description('show one entry in full')
    .argument('<sequence>', 'sequence number of the entry')
    .option('--json', 'print the entry as JSON')
    .addOption(busAddressOption())
    .addOption(rootOption())
    .addOption(timeoutOption())
    .action(async (sequenceText, options) => {
      const sequence = parsePositiveInt(sequenceText, 'the sequence number');
      const lines = await openLedger(machineFromFlags(options)).lines();
      const found = lines.find((line) => 'entry' in line && line.entry.sequence === sequence);
      if (!found || !('entry' in found))
        throw new UsageError(
          `no entry with sequence ${sequence} (the ledger has ${lines.length} lines)`,
          'list them with `op-dbus ledger log`',
        );
      process.stdout.write(options.json ? toJsonText(found.entry) : renderEntry(found.entry));
    });
}

export function ledgerCommand(): Command {
  return new Command('ledger')
    .description('the audit ledger of every discover, apply and rollback: hash-chained and signed')
    .addCommand(logCommand())
    .addCommand(verifyCommand())
    .addCommand(showCommand());
}
