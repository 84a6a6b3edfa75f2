// The ovs exporters against the real tools. NixOS: the module parses and evaluates (nix-instantiate, stub
// arguments) to networking.vswitches values, and running the ovs-vsctl commands NixOS's vswitch service
// builds from them rebuilds the captured switch. Ansible: the playbook passes --syntax-check, and run over
// SSH against a testbed target it builds the switch there (op-dbus verify and ovs-vsctl agree); the target
// is put back with op-dbus afterwards.
import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { machineStateToPlaybook } from '../../src/export/ansible/playbook.js';
import { machineStateToNix } from '../../src/export/nix/module.js';
import type { OvsConfig } from '../../src/plugins/ovs/schema.js';
import { ovsToNix } from '../../src/plugins/ovs/to-nix.js';
import type { MachineState } from '../../src/state/schema.js';
import { buildSampleSwitch, vsctlView } from '../fixtures/ovsdb/sample-switch.js';
import { opDbus } from '../support/run-cli.js';
import { ovsVsctl, type PrivateOvsdbServer, startOvsdbServer } from '../testbed/ovsdb-server.mjs';
import { ansiblePlaybook, runPlaybookOverSsh } from './support/ansible-playbook.js';
import { containerRoot, TESTBED_DIR, target, targetArgs } from './testbed-env.js';

const run = promisify(execFile);
const NIX_ENV = { ...process.env, NIX_CONFIG: 'build-users-group =' };
const servers: PrivateOvsdbServer[] = [];
let work: string;
let state: MachineState;

function server(): PrivateOvsdbServer {
  const started = startOvsdbServer();
  servers.push(started);
  return started;
}

async function capture(file: string, args: string[]): Promise<MachineState> {
  const result = await opDbus(['discover', '--export', '-o', file, '--plugin', 'ovs', ...args]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(await readFile(file, 'utf8'));
}

const ovsConfig = (captured: MachineState) => captured.sections.ovs?.config as OvsConfig;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'op-dbus-ovs-export-'));
  await mkdir(join(work, 'root'));
  const source = server();
  buildSampleSwitch(source.endpoint);
  state = await capture(join(work, 'source.json'), [
    '--ovsdb',
    source.endpoint,
    '--root',
    join(work, 'root'),
  ]);
});

afterAll(async () => {
  for (const started of servers) started.stop();
  await rm(work, { recursive: true, force: true });
});

interface NixVswitch {
  interfaces: Record<string, { vlan?: number; type?: string }>;
  controllers?: string[];
  supportedOpenFlowVersions: string[];
  extraOvsctlCmds?: string;
}

async function evaluateNix(text: string): Promise<{ networking: { vswitches: Record<string, NixVswitch> } }> {
  const path = join(work, 'configuration.nix');
  await writeFile(path, text);
  await run('nix-instantiate', ['--readonly-mode', '--parse', path], { env: NIX_ENV });
  const wrapper = join(work, 'evaluate.nix');
  await writeFile(wrapper, 'import ./configuration.nix { config = { }; pkgs = { }; lib = { }; }\n');
  const { stdout } = await run(
    'nix-instantiate',
    ['--readonly-mode', '--eval', '--strict', '--json', wrapper],
    {
      env: NIX_ENV,
    },
  );
  return JSON.parse(stdout);
}

/**
 * What NixOS's vswitch-<name> service runs (nixpkgs nixos/modules/tasks/network-interfaces.nix): preStart
 * re-creates the bridge with its protocols, then one ovs-vsctl call adds the interfaces (with `tag=` for a
 * vlan), sets their types, sets each controller and appends every extraOvsctlCmds line; the shell splits
 * each line into words.
 */
function runAsNixos(endpoint: string, name: string, vswitch: NixVswitch): void {
  const preStart = `--if-exists del-br ${name} -- add-br ${name} -- set bridge ${name}`.split(' ');
  ovsVsctl(endpoint, ...preStart, `protocols=${vswitch.supportedOpenFlowVersions.join(',')}`);
  const interfaces = Object.entries(vswitch.interfaces).sort(([a], [b]) => (a < b ? -1 : 1));
  const words = [
    ...interfaces.flatMap(([port, config]) => [
      '--',
      'add-port',
      name,
      port,
      ...(config.vlan !== undefined ? [`tag=${config.vlan}`] : []),
    ]),
    ...interfaces.flatMap(([port, config]) =>
      config.type ? ['--', 'set', 'interface', port, `type=${config.type}`] : [],
    ),
    ...(vswitch.controllers ?? []).flatMap((controller) => ['--', 'set-controller', name, controller]),
    ...(vswitch.extraOvsctlCmds ?? '').split('\n').flatMap((line) => ['--', ...line.split(/\s+/)]),
  ];
  ovsVsctl(endpoint, ...words);
}

describe('NixOS export of the ovs section', () => {
  it('evaluates to networking.vswitches, and NixOS would rebuild the captured switch from it', async () => {
    const { text, unmapped } = machineStateToNix(state);
    expect(unmapped.filter((entry) => entry.item.startsWith('$.sections.ovs'))).toEqual([]);
    const { vswitches } = (await evaluateNix(text)).networking;
    const expected: Record<string, Record<string, unknown>> = {};
    for (const option of ovsToNix(ovsConfig(state)).options) {
      const [, , bridge = '', setting = ''] = option.path;
      expected[bridge] = { ...expected[bridge], [setting]: option.value };
    }
    expect(vswitches).toEqual(expected);
    expect(vswitches.opbr0?.interfaces.opeth1).toEqual({ vlan: 10 });
    const rebuilt = server();
    for (const [name, vswitch] of Object.entries(vswitches)) runAsNixos(rebuilt.endpoint, name, vswitch);
    const again = ovsConfig(
      await capture(join(work, 'rebuilt.json'), ['--ovsdb', rebuilt.endpoint, '--root', join(work, 'root')]),
    );
    // NixOS always sets protocols: an empty list (all versions) comes back as all six, the same switch.
    const original = structuredClone(ovsConfig(state));
    (original.bridges.opbr1 as (typeof original.bridges)[string]).protocols = [
      ...(again.bridges.opbr1?.protocols ?? []),
    ];
    expect(again.bridges.opbr1?.protocols).toHaveLength(6);
    expect(again).toEqual(original);
  });
});

describe('Ansible export of the ovs section', () => {
  const host = target(3);
  const socket = `unix:${TESTBED_DIR}/targets/${host.name}/ovs/db.sock`;
  let playbook: string;
  let before: string;
  let ansibleDirExisted: boolean;

  beforeAll(async () => {
    playbook = join(work, 'playbook.yml');
    await writeFile(playbook, machineStateToPlaybook(state, { hosts: 'all' }).text);
    before = join(work, 'target-before.json');
    await capture(before, targetArgs(host));
    ansibleDirExisted = await access(join(containerRoot(host), 'root/.ansible')).then(
      () => true,
      () => false,
    );
  });

  afterAll(async () => {
    const putBack = await opDbus(['apply', '--yes', before, '--plugin', 'ovs', ...targetArgs(host)]);
    expect(putBack.code, putBack.stderr).toBe(0);
    expect((await opDbus(['verify', before, '--plugin', 'ovs', ...targetArgs(host)])).code).toBe(0);
    if (!ansibleDirExisted)
      await rm(join(containerRoot(host), 'root/.ansible'), { recursive: true, force: true });
  }, 120_000);

  it('passes ansible-playbook --syntax-check', async () => {
    const checked = await ansiblePlaybook('--syntax-check', '-i', 'localhost,', playbook);
    expect(checked.code, checked.output).toBe(0);
  });

  it('builds the switch on a target over SSH, as op-dbus verify and ovs-vsctl there agree; a second run changes nothing', async () => {
    const ran = await runPlaybookOverSsh(host, playbook);
    expect(ran.code, ran.output).toBe(0);
    expect(ran.output).toMatch(/\bchanged=[1-9]/);
    const verified = await opDbus([
      'verify',
      join(work, 'source.json'),
      '--plugin',
      'ovs',
      ...targetArgs(host),
    ]);
    expect(verified.code, verified.stdout).toBe(0);
    expect(vsctlView(socket)).toBe(vsctlView(servers[0]?.endpoint ?? ''));
    const again = await runPlaybookOverSsh(host, playbook);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/\bok=[1-9]\d* +changed=0\b/);
  }, 300_000);
});
