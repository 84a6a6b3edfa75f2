// The systemd unit of `op-dbus dbus serve` inside a testbed target, installed as a package would be: node and
// the built op-dbus copied in, `op-dbus dbus install-policy` and `install-unit` under the target's root, then
// systemd starts it (Type=dbus: active once org.opdbus is owned), busctl inside the target calls it against
// the target's own Debian-started ovsdb-server, and `systemctl stop` releases the names. Everything added is
// removed afterwards.
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opDbus } from '../support/run-cli.js';
import { nameHasOwner } from './support/dbus-serve-process.js';
import { type DirectorySnapshot, snapshotDirectory } from './support/directory-snapshot.js';
import { ledgerLog } from './support/ledger-log.js';
import { AGENT, lines, OPDBUS, OVSDB } from './support/serve-fixture.js';
import { waitUntil } from './support/wait-until.js';
import { containerRoot, execInTarget, target } from './testbed-env.js';

const T = target(2);
const REPO = new URL('../../', import.meta.url).pathname;
const UNIT = 'op-dbus-dbus.service';
const NODE_IN_TARGET = '/usr/local/bin/node';
const OP_DBUS_IN_TARGET = '/opt/op-dbus';
/** Every path this test adds to the target; the unit's ledger goes to /var/lib/op-dbus, handled apart. */
const ADDED_PATHS = [
  NODE_IN_TARGET,
  OP_DBUS_IN_TARGET,
  `/etc/systemd/system/${UNIT}`,
  ...[OPDBUS, OVSDB, AGENT].map((service) => `/etc/dbus-1/system.d/${service.busName}.conf`),
];
const STATE_DIRECTORY = '/var/lib/op-dbus';
const SERVICE_NAMES = [OPDBUS, OVSDB, AGENT].map((service) => service.busName);

let root: string;
let stateDirectory: DirectorySnapshot | undefined;

const inTarget = (path: string) => join(root, path);

/** A command's stdout inside the target, also when it exits non-zero (systemctl is-active does when inactive). */
async function targetOutput(command: string[]): Promise<string> {
  try {
    return (await execInTarget(T, command)).trim();
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? '').trim();
  }
}

/** The packages dbus-next needs at run time, the one module the op-dbus bundle leaves external. */
function runtimePackages(name = 'dbus-next', found = new Set<string>()): Set<string> {
  if (found.has(name)) return found;
  found.add(name);
  const manifest = JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  for (const dependency of Object.keys(manifest.dependencies ?? {})) runtimePackages(dependency, found);
  return found;
}

async function copyOpDbusIntoTarget(): Promise<void> {
  await mkdir(dirname(inTarget(NODE_IN_TARGET)), { recursive: true });
  await cp(process.execPath, inTarget(NODE_IN_TARGET));
  const destination = inTarget(OP_DBUS_IN_TARGET);
  for (const file of ['bin/op-dbus.js', 'dist/op-dbus.mjs', 'package.json'])
    await cp(join(REPO, file), join(destination, file), { recursive: true });
  for (const name of runtimePackages())
    await cp(join(REPO, 'node_modules', name), join(destination, 'node_modules', name), { recursive: true });
}

/** Stops the unit and removes everything this test added, leaving systemd as it was; safe to repeat. */
async function removeEverythingInstalled(): Promise<void> {
  await execInTarget(T, ['systemctl', 'stop', UNIT]).catch(() => undefined);
  for (const path of ADDED_PATHS) await rm(inTarget(path), { recursive: true, force: true });
  await stateDirectory?.restore();
  await execInTarget(T, ['systemctl', 'daemon-reload']);
  await execInTarget(T, ['systemctl', 'reset-failed', UNIT]).catch(() => undefined);
}

beforeAll(async () => {
  root = containerRoot(T);
  stateDirectory = await snapshotDirectory(inTarget(STATE_DIRECTORY));
  await copyOpDbusIntoTarget();
  for (const command of [
    ['dbus', 'install-policy', '--prefix', root],
    [
      'dbus',
      'install-unit',
      '--prefix',
      root,
      '--node',
      NODE_IN_TARGET,
      '--entry',
      `${OP_DBUS_IN_TARGET}/bin/op-dbus.js`,
    ],
  ]) {
    const result = await opDbus(command);
    if (result.code !== 0) throw new Error(`op-dbus ${command.join(' ')} failed: ${result.stderr}`);
  }
  await execInTarget(T, ['systemctl', 'daemon-reload']);
}, 120_000);

afterAll(async () => {
  if (root) await removeEverythingInstalled();
});

describe(`the op-dbus D-Bus service unit inside testbed target ${T.name}`, () => {
  it('is started by systemd and active only once it owns its names', async () => {
    // The host's node runs on the target's own libc and libstdc++.
    expect(await targetOutput([NODE_IN_TARGET, '--version'])).toBe(process.version);
    await execInTarget(T, ['systemctl', 'start', '--no-block', UNIT]);
    await waitUntil(`${UNIT} active`, async () => {
      const state = await targetOutput(['systemctl', 'is-active', UNIT]);
      if (state === 'failed')
        throw new Error(await targetOutput(['systemctl', 'status', '--no-pager', UNIT]));
      return state === 'active';
    });
    for (const name of SERVICE_NAMES) expect(await nameHasOwner(T.busAddress, name), name).toBe(true);
    const mainPid = await targetOutput(['systemctl', 'show', '--property=MainPID', '--value', UNIT]);
    expect(await targetOutput(['cat', `/proc/${mainPid}/cmdline`])).toContain(
      `${NODE_IN_TARGET}\0${OP_DBUS_IN_TARGET}/bin/op-dbus.js\0dbus\0serve`,
    );
  });

  it("manages the target's own Open vSwitch for busctl called inside the target, waiting for its ovs-vswitchd", async () => {
    const busctlInside = (...args: string[]) =>
      execInTarget(T, ['busctl', 'call', OVSDB.busName, OVSDB.objectPath, OVSDB.interfaceName, ...args]);
    const vsctl = async (...args: string[]) =>
      (await execInTarget(T, ['ovs-vsctl', '--timeout=10', ...args])).trim();
    // The target's ovs-vswitchd has no kernel datapath here, so the bridge uses the userspace one, and the
    // device to attach is a tap device (no kernel modules for dummy links either).
    await vsctl('add-br', 'brunit', '--', 'set', 'Bridge', 'brunit', 'datapath_type=netdev');
    await execInTarget(T, ['ip', 'tuntap', 'add', 'unitdev0', 'mode', 'tap']);
    const ledgerBefore = (await ledgerLog(root)).length;
    try {
      await busctlInside('AddPort', 'ss', 'brunit', 'unitdev0');
      // The call returned once the target's ovs-vswitchd had attached the device to the bridge.
      expect(Number(await vsctl('get', 'Interface', 'unitdev0', 'ofport'))).toBeGreaterThan(0);
      expect(await busctlInside('ListBridgePorts', 's', 'brunit')).toBe('as 1 "unitdev0"\n');
      await busctlInside('DeletePort', 'ss', 'brunit', 'unitdev0');
      expect(await vsctl('list-ports', 'brunit')).toBe('');
      expect(await busctlInside('BridgeExists', 's', 'brunit')).toBe('b true\n');
      await busctlInside('DeleteBridge', 's', 'brunit');
    } finally {
      await vsctl('--if-exists', 'del-br', 'brunit');
      await execInTarget(T, ['ip', 'link', 'delete', 'unitdev0']);
    }
    expect(lines(await vsctl('list-br'))).not.toContain('brunit');
    // Inside the target the bus can name the calling process, so the ledger does too.
    const added = (await ledgerLog(root)).slice(ledgerBefore);
    expect(added.map((entry) => [entry.action, entry.result])).toEqual([
      ['ovs-add-port', 'ok'],
      ['ovs-delete-port', 'ok'],
      ['ovs-delete-bridge', 'ok'],
    ]);
    for (const entry of added) expect(entry.actor).toMatch(/^dbus uid 0 \(pid [1-9]\d*\)$/);
  });

  it('stops with systemctl stop, giving up its names', async () => {
    await execInTarget(T, ['systemctl', 'stop', UNIT]);
    expect(await targetOutput(['systemctl', 'is-active', UNIT])).toBe('inactive');
    for (const name of SERVICE_NAMES) expect(await nameHasOwner(T.busAddress, name), name).toBe(false);
  });

  it('leaves nothing behind once removed', async () => {
    await removeEverythingInstalled();
    for (const path of ADDED_PATHS) expect(existsSync(inTarget(path)), path).toBe(false);
    expect(await targetOutput(['systemctl', 'list-unit-files', '--no-legend', UNIT])).toBe('');
    expect(await targetOutput(['systemctl', 'list-units', '--all', '--no-legend', UNIT])).toBe('');
  });
});
