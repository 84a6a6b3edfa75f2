// The options every command that reads a machine shares: where its bus is and where its files are.

import { statSync } from 'node:fs';
import { Option } from '@commander-js/extra-typings';
import { busAddressProblem } from '../machine/bus-address.js';
import { DEFAULT_TIMEOUT_MS, defaultBusAddress, Machine } from '../machine/machine.js';
import { parseOvsdbEndpoint } from '../ovsdb/endpoint.js';
import { UsageError } from './errors.js';

export const busAddressOption = () =>
  new Option(
    '--bus-address <address>',
    'D-Bus address of the machine (default: $OPDBUS_BUS_ADDRESS or the system bus)',
  );
export const rootOption = () =>
  new Option('--root <dir>', "root directory of the machine's files").default('/');
export const timeoutOption = () =>
  new Option('--timeout <ms>', 'timeout for each D-Bus call in milliseconds').default(
    String(DEFAULT_TIMEOUT_MS),
  );

export const ovsdbOption = () =>
  new Option(
    '--ovsdb <address>',
    'OVSDB server as unix:PATH or tcp:HOST:PORT (default: unix:ROOT/run/openvswitch/db.sock)',
  );

export interface MachineFlags {
  busAddress?: string;
  root: string;
  timeout: string;
  ovsdb?: string;
}

export function parsePositiveInt(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || Number(value) <= 0)
    throw new UsageError(`${flag} must be a positive integer, got "${value}"`);
  return Number(value);
}

export function machineFromFlags(flags: MachineFlags): Machine {
  let isDirectory = false;
  try {
    isDirectory = statSync(flags.root).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory) throw new UsageError(`--root ${flags.root} is not a directory`);
  const busAddress = flags.busAddress ?? defaultBusAddress();
  const problem = busAddressProblem(busAddress);
  if (problem) {
    const source = flags.busAddress !== undefined ? '--bus-address' : 'the bus address from the environment';
    throw new UsageError(`${source} "${busAddress}" is not a D-Bus address: ${problem}`);
  }
  if (flags.ovsdb !== undefined) {
    try {
      parseOvsdbEndpoint(flags.ovsdb);
    } catch (error) {
      throw new UsageError(`--ovsdb: ${(error as Error).message}`);
    }
  }
  return new Machine({
    busAddress,
    root: flags.root,
    timeoutMs: parsePositiveInt(flags.timeout, '--timeout'),
    ovsdb: flags.ovsdb,
  });
}
