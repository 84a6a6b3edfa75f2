// The ovs plugin against real ovsdb-servers, cross-checked with ovs-vsctl as the independent client: what
// ovs-vsctl builds is discovered exactly; plan/apply/verify through the CLI converge a second server to a
// capture of the first in one transaction; a transaction the server refuses leaves it untouched and the
// engine rolls back; a later failure undoes a committed OVS change; a target's own Open vSwitch is read
// through its root.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyPort, type VswitchConfig } from '../../src/ovsdb/vswitch-model.js';
import { mergeAdminFiles } from '../../src/plugins/kernel/merge-admin-files.js';
import type { KernelConfig } from '../../src/plugins/kernel/schema.js';
import type { OvsConfig, OvsFacts } from '../../src/plugins/ovs/schema.js';
import { sealDocument } from '../../src/state/document.js';
import { REDACTED } from '../../src/state/redact.js';
import type { MachineState } from '../../src/state/schema.js';
import { buildSampleSwitch, vsctlView } from '../fixtures/ovsdb/sample-switch.js';
import { opDbus } from '../support/run-cli.js';
import { ovsVsctl, type PrivateOvsdbServer, startOvsdbServer } from '../testbed/ovsdb-server.mjs';
import { containerRoot, execInTarget, target, targetArgs } from './testbed-env.js';

const SECRET = 'ovs-psk-never-captured-7f3a';
let work: string;
/** A root directory of no machine: where apply as root keeps its journal and ledger for a private server. */
let root: string;
const servers: PrivateOvsdbServer[] = [];

function server(options: { vswitchd?: boolean } = {}): PrivateOvsdbServer {
  const started = startOvsdbServer(options);
  servers.push(started);
  return started;
}

const ovsArgs = (endpoint: string) => ['--plugin', 'ovs', '--ovsdb', endpoint, '--root', root];

async function capture(
  endpoint: string,
  file: string,
  extra: string[] = ovsArgs(endpoint),
): Promise<MachineState> {
  const result = await opDbus(['discover', '--export', '-o', file, ...extra]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(await readFile(file, 'utf8'));
}

const ovsOf = (state: MachineState) => state.sections.ovs as { config: OvsConfig; facts: OvsFacts };

/** `state` with its ovs config edited and the document sealed again, written to `file`. */
async function writeEdited(
  state: MachineState,
  file: string,
  edit: (config: VswitchConfig, state: MachineState) => void,
): Promise<void> {
  const { integrity: _stale, ...copy } = structuredClone(state);
  edit(ovsOf(copy as MachineState).config, copy as MachineState);
  await writeFile(file, JSON.stringify(sealDocument(copy)));
}

const system = { type: '', options: {}, externalIds: {}, mtuRequest: null };
const bridgeDefaults = {
  datapathType: 'netdev',
  failMode: null,
  controllers: [],
  protocols: [],
  stpEnable: false,
  rstpEnable: false,
  mcastSnoopingEnable: false,
  otherConfig: {},
  externalIds: {},
};
const local = (name: string) => emptyPort({ [name]: { ...system, type: 'internal' } });

/** What buildSampleSwitch makes, in the model's words. */
const SAMPLE: VswitchConfig = {
  bridges: {
    opbr0: {
      ...bridgeDefaults,
      failMode: 'secure',
      controllers: ['ptcp:6654', 'tcp:127.0.0.1:6653'],
      protocols: ['OpenFlow10', 'OpenFlow13'],
      otherConfig: { hwaddr: '02:00:00:00:00:01' },
      externalIds: { owner: 'ops' },
      ports: {
        opbond0: {
          ...emptyPort({ opeth2: system, opeth3: system }),
          bondMode: 'balance-slb',
          lacp: 'active',
        },
        opbr0: local('opbr0'),
        opeth1: { ...emptyPort({ opeth1: system }), tag: 10 },
        opin0: emptyPort({ opin0: { ...system, type: 'internal', mtuRequest: 1400 } }),
        'oppatch-a': emptyPort({ 'oppatch-a': { ...system, type: 'patch', options: { peer: 'oppatch-b' } } }),
        optrunk: { ...emptyPort({ optrunk: system }), trunks: [20, 30, 40], vlanMode: 'trunk' },
        opvx0: emptyPort({
          opvx0: {
            type: 'vxlan',
            options: { key: '5000', remote_ip: '10.250.99.2' },
            externalIds: { 'iface-id': 'vm1' },
            mtuRequest: null,
          },
        }),
      },
    },
    opbr1: {
      ...bridgeDefaults,
      ports: {
        opbr1: local('opbr1'),
        'oppatch-b': emptyPort({ 'oppatch-b': { ...system, type: 'patch', options: { peer: 'oppatch-a' } } }),
      },
    },
  },
};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'op-dbus-ovs-'));
  root = join(work, 'root');
  await mkdir(root);
});

afterAll(async () => {
  for (const started of servers) started.stop();
  await rm(work, { recursive: true, force: true });
});

describe('ovs plugin against real ovsdb-servers', () => {
  let source: PrivateOvsdbServer;
  let sourceFile: string;
  let sourceState: MachineState;

  beforeAll(async () => {
    source = server();
    buildSampleSwitch(source.endpoint);
    sourceFile = join(work, 'source.json');
    sourceState = await capture(source.endpoint, sourceFile);
  });

  it('discovers exactly what ovs-vsctl made, with ovs-vsctl agreeing on ports and values', () => {
    const { config, facts } = ovsOf(sourceState);
    expect(config).toEqual(SAMPLE);
    expect(facts).toMatchObject({ address: source.endpoint, problems: [] });
    expect(Object.keys(facts.interfaces).sort()).toEqual([
      'opbr0',
      'opbr1',
      'opeth1',
      'opeth2',
      'opeth3',
      'opin0',
      'oppatch-a',
      'oppatch-b',
      'optrunk',
      'opvx0',
    ]);
    const vsctl = (...args: string[]) => ovsVsctl(source.endpoint, ...args).trim();
    expect(vsctl('list-br').split('\n')).toEqual(Object.keys(config.bridges));
    for (const bridge of ['opbr0', 'opbr1'])
      expect(vsctl('list-ports', bridge).split('\n')).toEqual(
        Object.keys(config.bridges[bridge]?.ports ?? {}).filter((port) => port !== bridge),
      );
    expect(vsctl('get', 'Port', 'opeth1', 'tag')).toBe('10');
    expect(vsctl('get', 'Interface', 'opvx0', 'options')).toBe('{key="5000", remote_ip="10.250.99.2"}');
    expect(vsctl('get-controller', 'opbr0').split('\n').sort()).toEqual(config.bridges.opbr0?.controllers);
  });

  it('withholds an IPsec pre-shared key, and refuses to apply a capture that would have to write it', async () => {
    const secretive = server();
    ovsVsctl(secretive.endpoint, 'add-br', 'opsec0');
    ovsVsctl(
      secretive.endpoint,
      'add-port',
      'opsec0',
      'opgre0',
      '--',
      'set',
      'Interface',
      'opgre0',
      'type=gre',
      'options:remote_ip=10.250.99.3',
      `options:psk=${SECRET}`,
    );
    const file = join(work, 'secretive.json');
    const state = await capture(secretive.endpoint, file);
    expect(await readFile(file, 'utf8')).not.toContain(SECRET);
    expect(ovsOf(state).config.bridges.opsec0?.ports.opgre0?.interfaces.opgre0?.options.psk).toBe(REDACTED);
    expect(state.redactions).toEqual([
      {
        path: '/sections/ovs/config/bridges/opsec0/ports/opgre0/interfaces/opgre0/options/psk',
        reason: 'OVS secret psk',
      },
    ]);
    // Its own server still has the key: nothing to do.
    expect((await opDbus(['verify', file, ...ovsArgs(secretive.endpoint)])).code).toBe(0);
    const empty = server();
    const before = vsctlView(empty.endpoint);
    const applied = await opDbus(['apply', '--yes', file, ...ovsArgs(empty.endpoint)]);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toMatch(/options\.psk/);
    expect(vsctlView(empty.endpoint)).toBe(before);
  });

  describe('converging a second server to the capture', () => {
    let replica: PrivateOvsdbServer;

    beforeAll(() => {
      replica = server();
      // Something to delete, and a port name the capture uses on another bridge.
      ovsVsctl(replica.endpoint, 'add-br', 'opold0');
      ovsVsctl(replica.endpoint, 'add-port', 'opold0', 'opeth1', 'tag=99');
    });

    it('plans every item in one transaction, applies it, and ovs-vsctl then shows the same switch', async () => {
      const planned = await opDbus(['plan', '--json', sourceFile, ...ovsArgs(replica.endpoint)]);
      expect(planned.code, planned.stderr).toBe(2);
      const { changes } = JSON.parse(planned.stdout) as { changes: { kind: string; description: string }[] };
      expect(changes.map((change) => change.kind)).toEqual(['ovsdb-transaction']);
      expect(changes[0]?.description).toBe(
        'one OVSDB transaction: + bridge opbr0; + bridge opbr1; - bridge opold0',
      );
      const applied = await opDbus(['apply', '--yes', sourceFile, ...ovsArgs(replica.endpoint)]);
      expect(applied.code, applied.stderr).toBe(0);
      expect(vsctlView(replica.endpoint)).toBe(vsctlView(source.endpoint));
      const verified = await opDbus(['verify', sourceFile, ...ovsArgs(replica.endpoint)]);
      expect(verified.code, verified.stdout).toBe(0);
      expect((await opDbus(['plan', sourceFile, ...ovsArgs(replica.endpoint)])).code).toBe(0);
    });

    it('updates, adds and removes ports and interfaces in place', async () => {
      const file = join(work, 'edited.json');
      await writeEdited(sourceState, file, (config) => {
        const ports = config.bridges.opbr0?.ports ?? {};
        (ports.opeth1 as (typeof ports)[string]).tag = 20;
        (ports.opbond0 as (typeof ports)[string]).interfaces.opeth4 = system;
        delete ports.optrunk;
        ports.opnew0 = emptyPort({ opnew0: { ...system, type: 'internal' } });
        (ports.opvx0 as (typeof ports)[string]).interfaces.opvx0 = {
          type: 'vxlan',
          options: { key: '6000', remote_ip: '10.250.99.2' },
          externalIds: {},
          mtuRequest: null,
        };
        (config.bridges.opbr0 as (typeof config.bridges)[string]).controllers = ['ptcp:6654'];
      });
      const applied = await opDbus(['apply', '--yes', file, ...ovsArgs(replica.endpoint)]);
      expect(applied.code, applied.stderr).toBe(0);
      const vsctl = (...args: string[]) => ovsVsctl(replica.endpoint, ...args).trim();
      expect(vsctl('get', 'Port', 'opeth1', 'tag')).toBe('20');
      expect(vsctl('list-ports', 'opbr0').split('\n')).not.toContain('optrunk');
      expect(vsctl('list-ports', 'opbr0').split('\n')).toContain('opnew0');
      expect(vsctl('get', 'Port', 'opbond0', 'interfaces').split(',')).toHaveLength(3);
      expect(vsctl('get', 'Interface', 'opvx0', 'options')).toBe('{key="6000", remote_ip="10.250.99.2"}');
      expect(vsctl('get', 'Interface', 'opvx0', 'external_ids')).toBe('{}');
      expect(vsctl('get-controller', 'opbr0')).toBe('ptcp:6654');
      // Rows nothing refers to any more were collected by the server, not left behind.
      expect(vsctl('--columns=name', 'list', 'Port')).not.toContain('optrunk');
      expect(vsctl('--columns=target', 'list', 'Controller')).not.toContain('6653');
      expect((await opDbus(['verify', file, ...ovsArgs(replica.endpoint)])).code).toBe(0);
    });

    it('leaves the server untouched when it refuses the transaction, and the engine rolls back', async () => {
      // A bridge row another table keeps (a sampling collector) is out of use but still holds its name.
      ovsVsctl(
        replica.endpoint,
        '--',
        '--id=@b',
        'create',
        'Bridge',
        'name=opghost',
        '--',
        '--id=@f',
        'create',
        'Flow_Sample_Collector_Set',
        'id=1',
        'bridge=@b',
      );
      const file = join(work, 'refused.json');
      await writeEdited(sourceState, file, (config) => {
        const ports = config.bridges.opbr0?.ports ?? {};
        (ports.opeth1 as (typeof ports)[string]).tag = 30;
        delete ports.opin0;
        delete config.bridges.opbr1;
        config.bridges.opghost = { ...bridgeDefaults, ports: { opghost: local('opghost') } };
      });
      const before = vsctlView(replica.endpoint);
      const applied = await opDbus(['apply', '--yes', file, ...ovsArgs(replica.endpoint)]);
      expect(applied.code).toBe(1);
      expect(applied.stderr).toMatch(/rolled back .*constraint violation/);
      expect(applied.stderr).toMatch(/opghost/);
      expect(vsctlView(replica.endpoint)).toBe(before);
    });
  });

  it('applies to a switch an ovs-vswitchd carries out, and is done once it has: devices made, then removed', async () => {
    const live = server({ vswitchd: true });
    const netns = live.netns as string;
    const devices = () =>
      (
        JSON.parse(execFileSync('ip', ['-n', netns, '-j', 'link', 'show'], { encoding: 'utf8' })) as {
          ifname: string;
        }[]
      ).map((link) => link.ifname);
    const nextConfig = () => Number(ovsVsctl(live.endpoint, 'get', 'Open_vSwitch', '.', 'next_cfg'));
    const emptyFile = join(work, 'vswitchd-empty.json');
    const empty = await capture(live.endpoint, emptyFile);
    const file = join(work, 'vswitchd.json');
    await writeEdited(empty, file, (config) => {
      config.bridges.opvsw0 = {
        ...bridgeDefaults,
        ports: { opvsw0: local('opvsw0'), opvswin0: local('opvswin0') },
      };
    });
    const before = nextConfig();
    const applied = await opDbus(['apply', '--yes', file, ...ovsArgs(live.endpoint)]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(nextConfig()).toBeGreaterThan(before);
    expect(devices()).toEqual(expect.arrayContaining(['opvsw0', 'opvswin0']));
    expect(Number(ovsVsctl(live.endpoint, 'get', 'Interface', 'opvswin0', 'ofport'))).toBeGreaterThan(0);

    const removed = await opDbus(['apply', '--yes', emptyFile, ...ovsArgs(live.endpoint)]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(devices()).not.toContain('opvswin0');
  });

  describe('rollback of a committed OVS change when a later change fails', () => {
    const host = target(3);
    const SYSCTL = '/etc/sysctl.d/60-opdbus-ovs-rollback.conf';

    it('puts the server back at its checkpoint, with the target', async () => {
      const replica = server();
      ovsVsctl(replica.endpoint, 'add-br', 'opkeep0');
      const args = ['--plugin', 'kernel,ovs', '--ovsdb', replica.endpoint, ...targetArgs(host)];
      const state = await capture(replica.endpoint, join(work, 'rollback-before.json'), args);
      const file = join(work, 'rollback.json');
      await writeEdited(state, file, (config, edited) => {
        delete config.bridges.opkeep0;
        config.bridges.opadd0 = { ...bridgeDefaults, ports: { opadd0: local('opadd0') } };
        const kernel = edited.sections.kernel?.config as KernelConfig;
        kernel.files[SYSCTL] = { content: 'net.ipv4.ip_forward = 1\n' };
        Object.assign(kernel, mergeAdminFiles(kernel.files));
      });
      const planned = await opDbus(['plan', '--json', file, ...args]);
      const changes = JSON.parse(planned.stdout).changes as { plugin: string; phase: string }[];
      const ovsIndex = changes.findIndex((change) => change.plugin === 'ovs');
      expect(ovsIndex).toBeGreaterThanOrEqual(0);
      expect(changes.length).toBeGreaterThan(ovsIndex + 1);
      const before = vsctlView(replica.endpoint);
      const applied = await opDbus(['apply', '--yes', file, ...args], {
        OPDBUS_TEST_FAIL_AT_CHANGE: String(changes.length - 1),
      });
      expect(applied.code).toBe(1);
      expect(applied.stderr).toMatch(/rolled back/);
      expect(vsctlView(replica.endpoint)).toBe(before);
      await expect(readFile(join(containerRoot(host), SYSCTL))).rejects.toThrow(/ENOENT/);
      const verified = await opDbus(['verify', join(work, 'rollback-before.json'), ...args]);
      expect(verified.code, verified.stdout).toBe(0);
    });
  });
});

describe("ovs plugin on a testbed target's own Open vSwitch", () => {
  const host = target(0);
  const vsctl = (...args: string[]) => execInTarget(host, ['ovs-vsctl', '--timeout=10', ...args]);

  afterAll(async () => {
    await vsctl('--if-exists', 'del-br', 'opt0');
  });

  it('reads it through the target root, with what ovs-vswitchd reports as facts', async () => {
    await vsctl('add-br', 'opt0', '--', 'set', 'Bridge', 'opt0', 'datapath_type=netdev');
    await vsctl('add-port', 'opt0', 'opt0-in', 'tag=5', '--', 'set', 'Interface', 'opt0-in', 'type=internal');
    const state = await capture('', join(work, 'target.json'), ['--plugin', 'ovs', ...targetArgs(host)]);
    const { config, facts } = ovsOf(state);
    expect(config.bridges.opt0?.ports['opt0-in']).toEqual({
      ...emptyPort({ 'opt0-in': { ...system, type: 'internal' } }),
      tag: 5,
    });
    expect(facts.address).toBe(`unix:${containerRoot(host)}/run/openvswitch/db.sock`);
    expect(facts.ovsVersion).toBe(
      (await vsctl('get', 'Open_vSwitch', '.', 'ovs_version')).trim().replaceAll('"', ''),
    );
    expect(facts.interfaces.opt0).toMatchObject({ bridge: 'opt0', port: 'opt0', ofport: 65534 });
    expect(facts.interfaces['opt0-in']?.ofport).toBeGreaterThan(0);
  });
});
