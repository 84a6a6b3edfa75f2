// `op-dbus dbus serve` run as an operator runs it (the built CLI in its own process), and busctl as the
// client that calls it: each call's reply as JSON, or the D-Bus error name and message it failed with.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { type BusctlResult, busctl, type RunAs } from './policy-bus.js';
import { waitUntil } from './wait-until.js';

const BIN = new URL('../../../bin/op-dbus.js', import.meta.url).pathname;
/** What serve prints once it owns every name (see dbus-serve-command.ts). */
const READY = /^op-dbus dbus serve: serving /m;

export interface ServeProcess {
  pid: number;
  /** Everything serve wrote to stderr so far. */
  log(): string;
  running(): boolean;
  /** SIGTERM (unless it has exited already), then its exit: code, or the signal that ended it. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The command line of `op-dbus dbus serve ARGS` with the node running the tests. */
export const serveCommand = (args: string[]): [string, ...string[]] => [
  process.execPath,
  BIN,
  'dbus',
  'serve',
  ...args,
];

/** Starts `op-dbus dbus serve ARGS` and resolves once it serves; rejects with its output if it exits first. */
export async function startDbusServe(args: string[]): Promise<ServeProcess> {
  const [command, ...commandArgs] = serveCommand(args);
  const child: ChildProcess = spawn(command, commandArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (running()) child.kill('SIGTERM');
    const [code, signal] = await exited;
    return { code, signal };
  };
  try {
    await waitUntil('op-dbus dbus serve owning its names', () => {
      if (!running()) throw new Error(`serve exited (${child.exitCode ?? child.signalCode}): ${stderr}`);
      return READY.test(stderr);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid as number, log: () => stderr, running, stop };
}

/** Where a service's one interface is: its bus name, object path and interface name. */
export interface ServiceAddress {
  busName: string;
  objectPath: string;
  interfaceName: string;
}

export interface ServiceCallResult extends BusctlResult {
  /** The reply's values (busctl --json=short), when the call succeeded. */
  values?: unknown[];
}

/** `busctl call` of `member` with arguments of `signature`; never rejects, whatever the service answers. */
export async function callService(
  address: string,
  service: ServiceAddress,
  member: string,
  signature = '',
  values: string[] = [],
  as?: RunAs,
): Promise<ServiceCallResult> {
  const { busName, objectPath, interfaceName } = service;
  const typed = signature ? [signature, ...values] : [];
  const result = await busctl(
    address,
    ['--json=short', 'call', busName, objectPath, interfaceName, member, ...typed],
    as,
  );
  if (result.code !== 0 || !result.stdout.trim()) return result;
  return { ...result, values: (JSON.parse(result.stdout) as { data: unknown[] }).data };
}

/** The reply's values of a call that must succeed; throws with busctl's words otherwise. */
export async function callValues(
  address: string,
  service: ServiceAddress,
  member: string,
  signature = '',
  values: string[] = [],
): Promise<unknown[]> {
  const result = await callService(address, service, member, signature, values);
  if (result.code !== 0)
    throw new Error(`${member} failed: ${result.errorName ?? 'no error name'}: ${result.stderr.trim()}`);
  return result.values ?? [];
}

/** Whether anyone owns `name` on the bus, as the bus driver says. */
export async function nameHasOwner(address: string, name: string): Promise<boolean> {
  const result = await busctl(address, [
    '--json=short',
    'call',
    'org.freedesktop.DBus',
    '/org/freedesktop/DBus',
    'org.freedesktop.DBus',
    'NameHasOwner',
    's',
    name,
  ]);
  if (result.code !== 0) throw new Error(`NameHasOwner ${name}: ${result.stderr.trim()}`);
  return (JSON.parse(result.stdout) as { data: [boolean] }).data[0];
}

/** A property's value, read with `busctl get-property` as root. */
export async function readProperty(address: string, service: ServiceAddress, name: string): Promise<unknown> {
  const { busName, objectPath, interfaceName } = service;
  const result = await busctl(address, [
    '--json=short',
    'get-property',
    busName,
    objectPath,
    interfaceName,
    name,
  ]);
  if (result.code !== 0) throw new Error(`get-property ${name}: ${result.stderr.trim()}`);
  return (JSON.parse(result.stdout) as { data: unknown }).data;
}
