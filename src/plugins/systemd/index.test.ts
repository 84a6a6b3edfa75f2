import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbusConnection } from '../../dbus/connection.js';
import { Machine } from '../../machine/machine.js';
import { systemdPlugin } from './index.js';
import { DEFAULT_SYSTEM_UNIT_PATH } from './unit-file-state.js';

let root: string;

async function put(path: string, text: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), text);
}

/** A machine whose manager answers from fixed rows, as systemd of `version` would. */
class MachineWithManager extends Machine {
  constructor(
    root: string,
    private readonly version: string,
    private readonly unitFileRows: [string, string][],
    private readonly unitRows: string[][],
  ) {
    super({ root, busAddress: 'unix:path=/nonexistent/bus' });
  }

  override bus(): Promise<DbusConnection> {
    const answers: Record<string, unknown> = {
      ListUnits: this.unitRows,
      ListUnitFiles: this.unitFileRows,
      GetDefaultTarget: 'multi-user.target',
    };
    const connection = {
      getAllProperties: async () => ({ Version: this.version, UnitPath: [...DEFAULT_SYSTEM_UNIT_PATH] }),
      callOne: async (_service: string, _path: string, _iface: string, member: string) => answers[member],
    };
    return Promise.resolve(connection as unknown as DbusConnection);
  }
}

const WANTED = '[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n';
const UNIT_ROWS = [
  ['app.service', 'App', 'loaded', 'active', 'running'],
  ['systemd-hostnamed.service', 'Hostname Service', 'loaded', 'active', 'running'],
];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-systemd-plugin-'));
  await put('/etc/systemd/system/app.service', WANTED);
  await put('/lib/systemd/system/systemd-hostnamed.service', '[Service]\nExecStart=/bin/true\n');
  await mkdir(join(root, 'run/systemd/system'), { recursive: true });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function discover(machine: Machine) {
  const found = await systemdPlugin.discover(machine, { managedBusNames: new Map() });
  return {
    config: systemdPlugin.configSchema.parse(found.config),
    facts: systemdPlugin.factsSchema.parse(found.facts),
  };
}

describe('systemdPlugin', () => {
  it('derives the unit-file states from the directories on a systemd release the derivation was tested on', async () => {
    const machine = new MachineWithManager(root, '252.39-1~deb12u2', [], UNIT_ROWS);
    const { config, facts } = await discover(machine);
    expect(facts.unitFileStatesFrom).toBe('unit-directories');
    expect(facts.whyListUnitFiles).toBeUndefined();
    expect(config.unitFiles).toEqual({ 'app.service': 'disabled', 'systemd-hostnamed.service': 'static' });
    expect(config.activeState).toEqual({ 'app.service': 'active' });
  });

  it('asks ListUnitFiles on any other release, says why, and reports names that are no unit names', async () => {
    const rows: [string, string][] = [
      ['/etc/systemd/system/app.service', 'enabled'],
      ['/lib/systemd/system/systemd-hostnamed.service', 'static'],
      ['/etc/systemd/system/odd name.service', 'bad'],
    ];
    const machine = new MachineWithManager(root, '256.7-1', rows, UNIT_ROWS);
    const { config, facts } = await discover(machine);
    expect(facts.unitFileStatesFrom).toBe('ListUnitFiles');
    expect(facts.whyListUnitFiles).toMatch(/systemd 256\.7-1 is not a release .* tested on \(252\)/);
    expect(config.unitFiles).toEqual({ 'app.service': 'enabled', 'systemd-hostnamed.service': 'static' });
    expect(facts.problems).toEqual([
      {
        path: '/etc/systemd/system/odd name.service',
        line: null,
        text: null,
        reason: expect.stringMatching(/not a valid unit name/),
      },
    ]);
    expect(config.activeState).toEqual({ 'app.service': 'active' });
  });

  it('claims no run state without a manager, and still derives the unit-file states', async () => {
    const machine = new Machine({ root, busAddress: 'unix:path=/nonexistent/bus' });
    const { config, facts } = await discover(machine);
    expect(facts.source).toBe('files');
    expect(facts.unitFileStatesFrom).toBe('unit-directories');
    expect(config.unitFiles['app.service']).toBe('disabled');
    expect(config.activeState).toEqual({});
    await machine.close();
  });
});
