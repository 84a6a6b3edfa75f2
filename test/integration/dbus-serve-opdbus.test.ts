// org.opdbus of `op-dbus dbus serve` against a real testbed target, on the target's own bus with Debian's
// system bus policy and op-dbus's installed policy files: query, plan, verify and apply through D-Bus, the
// signals and properties that announce them, the ledger entry naming the caller, and bad documents refused.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MachineState } from '../../src/state/schema.js';
import { opDbus } from '../support/run-cli.js';
import {
  callService,
  nameHasOwner,
  readProperty,
  type ServeProcess,
  type ServiceCallResult,
  startDbusServe,
} from './support/dbus-serve-process.js';
import { captureSections, writeEdited } from './support/desired-state.js';
import { type DirectorySnapshot, snapshotDirectory } from './support/directory-snapshot.js';
import { ledgerLog } from './support/ledger-log.js';
import { busctl, startMonitor } from './support/policy-bus.js';
import { AGENT, OPDBUS, OVSDB, PACKAGE_VERSION } from './support/serve-fixture.js';
import { containerRoot, execInTarget, target, targetArgs } from './testbed-env.js';

const T = target(2);
const POLICY_FILES = [OPDBUS, OVSDB, AGENT].map((service) => `etc/dbus-1/system.d/${service.busName}.conf`);
const STATE_DIRECTORY = 'var/lib/op-dbus';
const DRIFTED_HOSTNAME = 'opdbus-drifted';
const INVALID_DOCUMENT = 'org.opdbus.Error.InvalidDocument';
const SIGNALS_OF_OPDBUS = [`type='signal',sender='${OPDBUS.busName}'`];

let root: string;
let work: string;
let capture: string;
let serve: ServeProcess | undefined;
let originalHostname: string;
let stateDirectory: DirectorySnapshot | undefined;

const hostname = async () => (await execInTarget(T, ['hostnamectl', '--static', 'hostname'])).trim();
const reloadBusConfig = () =>
  busctl(T.busAddress, [
    'call',
    'org.freedesktop.DBus',
    '/org/freedesktop/DBus',
    'org.freedesktop.DBus',
    'ReloadConfig',
  ]);
const callOpdbus = (member: string, signature = '', values: string[] = []) =>
  callService(T.busAddress, OPDBUS, member, signature, values);

const lastApply = () => readProperty(T.busAddress, OPDBUS, 'LastApply');

function replyJson(result: ServiceCallResult): Record<string, unknown> {
  if (result.code !== 0) throw new Error(`call failed: ${result.errorName}: ${result.stderr.trim()}`);
  return JSON.parse(String(result.values?.[0]));
}

beforeAll(async () => {
  root = containerRoot(T);
  work = await mkdtemp('/tmp/opdbus-serve-opdbus-');
  stateDirectory = await snapshotDirectory(join(root, STATE_DIRECTORY));
  originalHostname = await hostname();
  const installed = await opDbus(['dbus', 'install-policy', '--prefix', root]);
  if (installed.code !== 0) throw new Error(`install-policy failed: ${installed.stderr}`);
  await reloadBusConfig();
  capture = join(work, 'capture.json');
  await captureSections(T, capture, 'identity,kernel');
  serve = await startDbusServe(targetArgs(T));
});

afterAll(async () => {
  await serve?.stop();
  if (originalHostname && (await hostname()) !== originalHostname)
    await execInTarget(T, ['hostnamectl', 'set-hostname', originalHostname]);
  if (root) {
    for (const file of POLICY_FILES) await rm(join(root, file), { force: true });
    await reloadBusConfig();
  }
  await stateDirectory?.restore();
  if (work) await rm(work, { recursive: true, force: true });
});

describe(`org.opdbus on testbed target ${T.name}`, () => {
  it("reports op-dbus's version", async () => {
    expect(await readProperty(T.busAddress, OPDBUS, 'Version')).toBe(PACKAGE_VERSION);
  });

  it('answers Query with a MachineState of the target, as hostnamectl inside sees it', async () => {
    const state = replyJson(await callOpdbus('Query', 's', ['identity'])) as unknown as MachineState;
    const identity = state.sections.identity as { config: { hostname: { staticHostname: string } } };
    expect(state.apiVersion).toBe('op-dbus/v1');
    expect(identity.config.hostname.staticHostname).toBe(originalHostname);
    expect(Object.keys(state.sections)).toEqual(['identity']);
    const unknown = await callOpdbus('Query', 's', ['no-such-plugin']);
    expect(unknown.errorName).toBe('org.opdbus.Error.InvalidArgument');
  });

  it('survives a full discover while it owns names on the target bus from another PID namespace', async () => {
    // The bus reports PID 0 for an owner outside its PID namespace; GetUnitByPID(0) used to abort systemd 252.
    const discovered = await opDbus(['discover', '--export', '-o', '-', ...targetArgs(T)]);
    expect(discovered.code).toBe(0);
    const state = JSON.parse(discovered.stdout) as MachineState;
    const services = (
      state.sections['dbus-services'] as { facts: { services: Record<string, { pid?: number }> } }
    ).facts.services;
    expect(services[OPDBUS.busName]).toBeDefined();
    expect(services[OPDBUS.busName]?.pid).toBeUndefined();
    const systemState = (await execInTarget(T, ['systemctl', 'is-system-running'])).trim();
    expect(['running', 'degraded']).toContain(systemState);
  });

  it('plans nothing and verifies no drift for a capture of the same target', async () => {
    const document = await readFile(capture, 'utf8');
    const plan = replyJson(await callOpdbus('Plan', 's', [document]));
    expect(plan.changes).toEqual([]);
    expect(plan.sections).toEqual(['identity', 'kernel']);
    const report = replyJson(await callOpdbus('Verify', 's', [document]));
    expect(report).toMatchObject({ hasDrift: false, drift: [], unresolved: [] });
  });

  it('reports drift after the hostname changed, and broadcasts DriftDetected', async () => {
    const monitor = await startMonitor(T.busAddress, SIGNALS_OF_OPDBUS);
    try {
      await execInTarget(T, ['hostnamectl', 'set-hostname', DRIFTED_HOSTNAME]);
      const report = replyJson(await callOpdbus('Verify', 's', [await readFile(capture, 'utf8')]));
      expect(report.hasDrift).toBe(true);
      expect(report.drift).toEqual([
        expect.objectContaining({
          section: 'identity',
          target: 'hostname.staticHostname',
          expected: originalHostname,
          actual: DRIFTED_HOSTNAME,
        }),
      ]);
      await monitor.waitFor(/member=DriftDetected/);
      expect(monitor.output()).toContain(DRIFTED_HOSTNAME);
    } finally {
      await monitor.stop();
    }
  });

  it('applies the capture for root, converging the target and announcing it', async () => {
    const monitor = await startMonitor(T.busAddress, SIGNALS_OF_OPDBUS);
    const entriesBefore = (await ledgerLog(root)).length;
    try {
      const outcome = replyJson(await callOpdbus('ApplyState', 's', [await readFile(capture, 'utf8')]));
      expect(outcome.status).toBe('applied');
      expect((outcome.plan as { changes: unknown[] }).changes).toHaveLength(1);
      expect(await hostname()).toBe(originalHostname);
      const verified = await opDbus(['verify', capture, ...targetArgs(T)]);
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);

      await monitor.waitFor(/member=StateApplied/);
      await monitor.waitFor(/member=PropertiesChanged[\s\S]*string "LastApply"/);
      expect(JSON.parse(String(await lastApply()))).toMatchObject({ uid: 0, status: 'applied', changes: 1 });
      const added = (await ledgerLog(root)).slice(entriesBefore);
      expect(added).toEqual([
        expect.objectContaining({
          action: 'apply',
          result: 'ok',
          actor: expect.stringMatching(/^dbus uid 0\b/),
        }),
      ]);
    } finally {
      await monitor.stop();
    }
  });

  it('refuses bad documents with InvalidDocument naming the JSON path, changing nothing', async () => {
    const captured = JSON.parse(await readFile(capture, 'utf8')) as MachineState;
    const hostile = join(work, 'hostile.json');
    await writeEdited(
      await captureSections(T, join(work, 'systemd.json'), 'systemd'),
      hostile,
      (sections) => {
        sections.systemd.config.activeState['../../etc/evil.service'] = 'active';
      },
    );
    const documents: [string, string, RegExp][] = [
      ['not JSON', '{"apiVersion":', /is not JSON/],
      ['a wrong apiVersion', JSON.stringify({ ...captured, apiVersion: 'op-dbus/v0' }), /\$\.apiVersion/],
      ['a hostile unit name', await readFile(hostile, 'utf8'), /\$\.sections\.systemd\.config\.activeState/],
    ];
    const entriesBefore = (await ledgerLog(root)).length;
    const lastApplyBefore = await lastApply();
    for (const [what, document, path] of documents) {
      for (const member of ['Plan', 'Verify', 'ApplyState']) {
        const result = await callOpdbus(member, 's', [document]);
        expect(result.errorName, `${member} of ${what}`).toBe(INVALID_DOCUMENT);
        expect(result.stderr, `${member} of ${what}`).toMatch(path);
      }
    }
    expect((await ledgerLog(root)).length).toBe(entriesBefore);
    expect(await lastApply()).toBe(lastApplyBefore);
    const verified = await opDbus(['verify', capture, ...targetArgs(T)]);
    expect(verified.code, verified.stdout).toBe(0);
  });

  it('stops on SIGTERM with exit 0, giving up its names on the target bus', async () => {
    expect(await serve?.stop()).toEqual({ code: 0, signal: null });
    for (const service of [OPDBUS, OVSDB, AGENT])
      expect(await nameHasOwner(T.busAddress, service.busName), service.busName).toBe(false);
  });
});
