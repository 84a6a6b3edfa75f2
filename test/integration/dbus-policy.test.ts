// op-dbus's policy files on a dbus-daemon with the system bus's default policy that loads exactly the files
// `op-dbus dbus install-policy` wrote, in front of the real `op-dbus dbus serve` (run as root, with its own
// ovsdb-server): root, a member of the policy group and an outsider each calling every method with busctl, as
// themselves; what the policy lets through really happens (ovs-vsctl and the ledger agree), what it refuses
// changes nothing.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type MethodContract,
  OPDBUS_SERVICE,
  SERVICE_CONTRACTS,
  type ServiceContract,
} from '../../src/services/policy/contracts.js';
import { opDbus } from '../support/run-cli.js';
import { ovsVsctl, type PrivateOvsdbServer, startOvsdbServer } from '../testbed/ovsdb-server.mjs';
import {
  callService,
  readProperty,
  type ServeProcess,
  serveCommand,
  startDbusServe,
} from './support/dbus-serve-process.js';
import { ledgerLog } from './support/ledger-log.js';
import {
  type BusctlResult,
  busctl,
  type PrivateBus,
  type RunAs,
  runCommand,
  startMonitor,
  startPrivateBus,
} from './support/policy-bus.js';
import { AGENT, lines, OPDBUS, OVSDB, ovsRowNames } from './support/serve-fixture.js';

const run = promisify(execFile);
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

const ovs = (...args: string[]) => ovsVsctl(server.endpoint, ...args);
const ovsRows = () => ovsRowNames(server.endpoint);
const lastApply = () => readProperty(bus.address, OPDBUS, 'LastApply');

/** A document org.opdbus accepts: the identity of the machine it serves, as root queries it. */
async function ownState(): Promise<string> {
  const result = await callService(bus.address, OPDBUS, 'Query', 's', ['identity']);
  if (result.code !== 0) throw new Error(`Query as root failed: ${result.stderr}`);
  return String(result.values?.[0]);
}

const everyMethod = SERVICE_CONTRACTS.flatMap((contract) =>
  contract.methods.map((method) => ({ contract, method, label: `${contract.interfaceName}.${method.name}` })),
);

let bus: PrivateBus;
let server: PrivateOvsdbServer;
let serve: ServeProcess;
/** The Machine root of the service under test: its ledger is there. */
let root: string;
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
  const installed = await opDbus(['dbus', 'install-policy', '--prefix', prefix, '--group', group]);
  if (installed.code !== 0) throw new Error(`install-policy failed: ${installed.stderr}`);
  bus = await startPrivateBus({ kind: 'system-like', policyDir: join(prefix, 'etc/dbus-1/system.d') });
  server = startOvsdbServer();
  root = await mkdtemp('/tmp/opdbus-policy-root-');
  serve = await startDbusServe(['--bus-address', bus.address, '--ovsdb', server.endpoint, '--root', root]);
});

afterAll(async () => {
  await serve?.stop();
  await bus?.stop();
  server?.stop();
  if (root) await rm(root, { recursive: true, force: true });
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
      const applied = await callService(bus.address, OPDBUS, 'ApplyState', 's', [await ownState()]);
      expect(applied.code, applied.stderr).toBe(0);
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

  it('make op-dbus dbus serve, started by anyone else, say the policy refused the name', async () => {
    const args = ['--bus-address', bus.address, '--ovsdb', server.endpoint, '--root', root];
    const result = await runCommand(serveCommand(args), member);
    expect(result.code).toBe(1);
    const refusal = `the bus policy does not allow this process (uid ${member.uid}) to own org.openvswitch.ovsdb`;
    expect(result.stderr).toContain(refusal);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('what the policy lets through, and what it refuses', () => {
  it('changed nothing for any probe above, allowed or refused', async () => {
    expect(ovsRows()).toEqual(['', '', '']);
    expect(await ledgerLog(root)).toEqual([]);
  });

  it("carries out a group member's creates, recorded in the ledger with the member's uid", async () => {
    const asMember = (service: typeof OVSDB, method: string, signature: string, values: string[]) =>
      callService(bus.address, service, method, signature, values, member);
    for (const result of [
      await asMember(OVSDB, 'CreateBridge', 's', ['brpolicy']),
      await asMember(OVSDB, 'AddPort', 'ss', ['brpolicy', 'eth-policy']),
      await asMember(AGENT, 'CreateContainerInterface', 'ss', ['brpolicy', 'web-01']),
    ])
      expect(result.code, result.stderr).toBe(0);
    expect(lines(ovs('list-br'))).toEqual(['brpolicy']);
    const ports = lines(ovs('list-ports', 'brpolicy'));
    expect(ports).toHaveLength(2);
    expect(ports).toContain('eth-policy');
    const containerPort = ports.find((port) => port !== 'eth-policy') as string;
    expect(ovs('get', 'Interface', containerPort, 'external_ids:container_id').trim()).toBe('web-01');
    const entries = await ledgerLog(root);
    expect(entries.map((entry) => [entry.action, entry.result])).toEqual([
      ['ovs-create-bridge', 'ok'],
      ['ovs-add-port', 'ok'],
      ['ovs-create-container-port', 'ok'],
    ]);
    for (const entry of entries) expect(entry.actor).toMatch(new RegExp(`^dbus uid ${member.uid}\\b`));
  });

  it('changes nothing when it refuses a member delete, remove or apply, or an outsider anything', async () => {
    const rowsBefore = ovsRows();
    const entriesBefore = await ledgerLog(root);
    const lastApplyBefore = await lastApply();
    const refused = [
      [member, OVSDB, 'DeleteBridge', 's', ['brpolicy']],
      [member, OVSDB, 'DeletePort', 'ss', ['brpolicy', 'eth-policy']],
      [member, AGENT, 'RemoveContainerInterface', 'ss', ['brpolicy', 'web-01']],
      [member, OPDBUS, 'ApplyState', 's', [await ownState()]],
      [NOBODY, OVSDB, 'CreateBridge', 's', ['broutsider']],
      [NOBODY, OVSDB, 'AddPort', 'ss', ['brpolicy', 'eth-outsider']],
      [NOBODY, AGENT, 'CreateContainerInterface', 'ss', ['brpolicy', 'web-02']],
    ] as const;
    for (const [as, service, method, signature, values] of refused) {
      const result = await callService(bus.address, service, method, signature, [...values], as);
      expect(result.errorName, `${method} as uid ${as.uid}`).toBe(ACCESS_DENIED);
    }
    expect(ovsRows()).toEqual(rowsBefore);
    expect(await ledgerLog(root)).toEqual(entriesBefore);
    expect(await lastApply()).toBe(lastApplyBefore);
  });
});
