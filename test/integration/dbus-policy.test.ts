// op-dbus's policy files on a dbus-daemon with the system bus's default policy that loads exactly the files
// `op-dbus dbus install-policy` wrote: root, a member of the policy group and an outsider each calling every
// method with busctl, as themselves.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServiceHost } from '../../src/dbus/service-host.js';
import { serviceObjectFor } from '../../src/services/policy/contract-object.js';
import {
  type MethodContract,
  OPDBUS_SERVICE,
  SERVICE_CONTRACTS,
  type ServiceContract,
} from '../../src/services/policy/contracts.js';
import {
  type BusctlResult,
  busctl,
  type PrivateBus,
  type RunAs,
  runCommand,
  startMonitor,
  startPrivateBus,
} from './support/policy-bus.js';

const run = promisify(execFile);
const REPO = new URL('../../', import.meta.url).pathname;
const ACCESS_DENIED = 'org.freedesktop.DBus.Error.AccessDenied';
/** What the bus answers when a call never reaches a service. */
const BUS_REFUSALS = [
  ACCESS_DENIED,
  'org.freedesktop.DBus.Error.ServiceUnknown',
  'org.freedesktop.DBus.Error.NameHasNoOwner',
];
const NOBODY: RunAs = { uid: 65534, gid: 65534 };
/** What the issue keeps for root, written out here rather than taken from the contracts under test. */
const ROOT_ONLY = new Set(['DeleteBridge', 'DeletePort', 'RemoveContainerInterface', 'ApplyState']);
/** An argument no real service accepts (no bridge, port or document has this name), so probing changes nothing. */
const PROBE_ARGUMENT = 'opdbus/policy-probe';

interface ServicesUnderTest {
  /** Makes org.opdbus broadcast StateApplied. */
  emitStateApplied(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The three services, owned by this (root) process on `address`. Until `op-dbus dbus serve` is wired in,
 * one service host exports every contract with handlers that answer without doing anything.
 */
async function startServicesUnderTest(address: string): Promise<ServicesUnderTest> {
  const host = await openServiceHost(address, 5000);
  const answer = (method: MethodContract) => async () =>
    method.outArgs.map((arg) => (arg.type === 'as' ? [] : arg.type === 'b' ? false : '{}'));
  for (const contract of SERVICE_CONTRACTS) {
    host.export(
      serviceObjectFor(contract, {
        methods: Object.fromEntries(contract.methods.map((method) => [method.name, answer(method)])),
        properties: Object.fromEntries(contract.properties.map((property) => [property.name, () => ''])),
      }),
    );
    await host.requestName(contract.busName);
  }
  return {
    async emitStateApplied() {
      host.emitSignal(OPDBUS_SERVICE.objectPath, OPDBUS_SERVICE.interfaceName, 'StateApplied', ['{}']);
    },
    async close() {
      host.close();
    },
  };
}

function callArgs(contract: ServiceContract, method: MethodContract): string[] {
  const signature = method.inArgs.map((arg) => arg.type).join('');
  const values = method.inArgs.map((arg) => {
    if (arg.type !== 's')
      throw new Error(`no probe value for ${contract.busName} ${method.name} argument of type ${arg.type}`);
    return PROBE_ARGUMENT;
  });
  return [
    'call',
    contract.busName,
    contract.objectPath,
    contract.interfaceName,
    method.name,
    ...(signature ? [signature, ...values] : []),
  ];
}

/** The call got to the service: answered, or refused by the service itself rather than by the bus. */
function reachedService(result: BusctlResult): boolean {
  return result.code === 0 || (result.errorName !== undefined && !BUS_REFUSALS.includes(result.errorName));
}

const everyMethod = SERVICE_CONTRACTS.flatMap((contract) =>
  contract.methods.map((method) => ({ contract, method, label: `${contract.interfaceName}.${method.name}` })),
);

let bus: PrivateBus;
let services: ServicesUnderTest;
let prefix: string;
const group = `opdbt${process.pid}`;
const memberName = `opdbu${process.pid}`;
let member: RunAs;

beforeAll(async () => {
  await run('groupadd', [group]);
  await run('useradd', [
    '--no-create-home',
    '--no-user-group',
    '--gid',
    'nogroup',
    '--groups',
    group,
    '--shell',
    '/usr/sbin/nologin',
    memberName,
  ]);
  const { stdout } = await run('id', ['-u', memberName]);
  member = { uid: Number(stdout.trim()), gid: 65534 };
  prefix = await mkdtemp('/tmp/opdbus-policy-prefix-');
  const installed = await runCommand([
    'node',
    `${REPO}bin/op-dbus.js`,
    'dbus',
    'install-policy',
    '--prefix',
    prefix,
    '--group',
    group,
  ]);
  if (installed.code !== 0) throw new Error(`install-policy failed: ${installed.stderr}`);
  bus = await startPrivateBus({ kind: 'system-like', policyDir: join(prefix, 'etc/dbus-1/system.d') });
  services = await startServicesUnderTest(bus.address);
});

afterAll(async () => {
  await services?.close();
  await bus?.stop();
  await run('userdel', [memberName]).catch(() => undefined);
  await run('groupdel', [group]).catch(() => undefined);
  if (prefix) await rm(prefix, { recursive: true, force: true });
});

describe('policy files installed by op-dbus dbus install-policy', () => {
  it('are exactly the three files the bus loads, without a complaint from it', async () => {
    expect(bus.log()).not.toContain('Encountered error');
    expect((await readdir(join(prefix, 'etc/dbus-1/system.d'))).sort()).toEqual([
      'dev.ovs.PortAgent1.conf',
      'org.opdbus.conf',
      'org.openvswitch.ovsdb.conf',
    ]);
  });

  it('were written for the methods the services under test export', async () => {
    for (const contract of SERVICE_CONTRACTS) {
      const result = await busctl(bus.address, [
        'introspect',
        contract.busName,
        contract.objectPath,
        contract.interfaceName,
      ]);
      const exported = result.stdout
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .filter((columns) => columns[1] === 'method')
        .map(([name, , signature]) => `${name?.slice(1)}(${signature === '-' ? '' : signature})`);
      const declared = contract.methods.map(
        (method) => `${method.name}(${method.inArgs.map((arg) => arg.type).join('')})`,
      );
      expect(exported.sort()).toEqual(declared.sort());
    }
  });

  it.each(everyMethod)('let root call $label', async ({ contract, method }) => {
    expect(reachedService(await busctl(bus.address, callArgs(contract, method)))).toBe(true);
  });

  it.each(everyMethod)(
    'let a group member call read and create methods, not delete or apply: $label',
    async ({ contract, method }) => {
      const result = await busctl(bus.address, callArgs(contract, method), member);
      if (ROOT_ONLY.has(method.name)) expect(result.errorName).toBe(ACCESS_DENIED);
      else expect(reachedService(result)).toBe(true);
    },
  );

  it.each(everyMethod)('refuse an outsider $label', async ({ contract, method }) => {
    const result = await busctl(bus.address, callArgs(contract, method), NOBODY);
    expect(result.errorName).toBe(ACCESS_DENIED);
  });

  it('let the group read properties and everyone introspect, but not outsiders read properties', async () => {
    const { busName, objectPath, interfaceName } = OPDBUS_SERVICE;
    const getVersion = ['get-property', busName, objectPath, interfaceName, 'Version'];
    expect((await busctl(bus.address, getVersion, member)).stdout).toMatch(/^s "/);
    expect((await busctl(bus.address, getVersion, NOBODY)).errorName).toBe(ACCESS_DENIED);
    const introspect = ['call', busName, objectPath, 'org.freedesktop.DBus.Introspectable', 'Introspect'];
    const outsiderIntrospection = await busctl(bus.address, introspect, NOBODY);
    expect(outsiderIntrospection.errorName).toBeUndefined();
    expect(outsiderIntrospection.stdout).toContain('<method name=\\"ApplyState\\">');
  });

  it('deliver org.opdbus signals to the group, not to outsiders', async () => {
    const rules = [
      `type='signal',sender='${OPDBUS_SERVICE.busName}'`,
      "type='signal',member='NameOwnerChanged'",
    ];
    const memberMonitor = await startMonitor(bus.address, rules, member);
    const outsiderMonitor = await startMonitor(bus.address, rules, NOBODY);
    try {
      await services.emitStateApplied();
      await memberMonitor.waitFor(/member=StateApplied/);
      // The bus delivers to each connection in order: once the outsider has the NameOwnerChanged of a
      // connection made after the signal, the signal would have reached it before.
      const marker = await busctl(bus.address, [
        'call',
        'org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus',
        'GetId',
      ]);
      const markerName =
        /^Got message type=method_return sender=org\.freedesktop\.DBus destination=(:\S+)/m.exec(
          marker.stderr,
        )?.[1];
      await outsiderMonitor.waitFor(new RegExp(`string "${markerName?.replace(/\./g, '\\.')}"`));
      expect(outsiderMonitor.output()).not.toContain('member=StateApplied');
    } finally {
      await memberMonitor.stop();
      await outsiderMonitor.stop();
    }
  });

  it('let no one but root own the names', async () => {
    for (const as of [member, NOBODY]) {
      for (const contract of SERVICE_CONTRACTS) {
        const result = await busctl(
          bus.address,
          [
            'call',
            'org.freedesktop.DBus',
            '/org/freedesktop/DBus',
            'org.freedesktop.DBus',
            'RequestName',
            'su',
            contract.busName,
            '4',
          ],
          as,
        );
        expect(result.errorName).toBe(ACCESS_DENIED);
      }
    }
  });

  it('make the service host say the policy refused the name', async () => {
    const script = `import { openServiceHost } from '${REPO}dist/dbus/service-host.js';
const host = await openServiceHost(process.argv[1], 5000);
try { await host.requestName('org.opdbus'); } catch (error) { console.log(error.message); } finally { host.close(); }`;
    const result = await runCommand(['node', '--input-type=module', '-e', script, bus.address], member);
    expect(result.stdout).toContain(
      `the bus policy does not allow this process (uid ${member.uid}) to own org.opdbus`,
    );
  });
});
