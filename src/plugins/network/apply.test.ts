import { lstat, mkdir, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DbusConnection } from '../../dbus/connection.js';
import { Machine } from '../../machine/machine.js';
import type { CurrentSection } from '../types.js';
import { applyNetworkChange, checkpointNetwork, undoNetworkChange } from './apply.js';
import { planNetworkChanges } from './plan.js';
import type { NetworkConfig, NetworkFacts } from './schema.js';

const DIR = '/etc/systemd/network';
const CONTEXT = { progress: () => {}, changeTimeoutMs: 5_000 };
let root: string;

/** A machine whose bus records the calls it gets, and fails them when told to. */
class RecordingMachine extends Machine {
  readonly calls: string[] = [];
  failWith?: Error;

  constructor(root: string) {
    super({ root, busAddress: 'unix:path=/nonexistent/bus' });
  }

  override bus(): Promise<DbusConnection> {
    const connection = {
      call: async (service: string, path: string, iface: string, member: string) => {
        if (this.failWith) throw this.failWith;
        this.calls.push(`${service} ${path} ${iface}.${member}`);
        return [];
      },
    };
    return Promise.resolve(connection as unknown as DbusConnection);
  }
}

function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a value');
  return value;
}

async function put(path: string, text: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), text);
}

function section(files: NetworkConfig['files']): CurrentSection<NetworkConfig, NetworkFacts> {
  return {
    config: { files },
    facts: {
      source: 'networkd',
      overall: null,
      links: [],
      addressFamilies: [],
      fileSummaries: {},
      problems: [],
    },
  };
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-network-apply-'));
  await put('/etc/group', 'root:x:0:\nsystemd-network:x:998:\n');
  await put(`${DIR}/10-eth0.network`, '[Match]\nName=eth0\n');
  await put(`${DIR}/20-old.network`, '[Match]\nName=old0\n');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('network apply and undo', () => {
  it('writes, masks and removes files, reloads networkd, and undoes all of it exactly', async () => {
    const machine = new RecordingMachine(root);
    const plan = planNetworkChanges(
      section({
        [`${DIR}/10-eth0.network`]: { kind: 'network', masked: false, content: '[Match]\nName=eth0\n' },
        [`${DIR}/20-old.network`]: { kind: 'network', masked: false, content: '[Match]\nName=old0\n' },
      }),
      {
        files: {
          [`${DIR}/10-eth0.network`]: {
            kind: 'network',
            masked: false,
            content: '[Match]\nName=eth0\n[Network]\nDHCP=yes\n',
          },
          [`${DIR}/99-default.link`]: { kind: 'link', masked: true, content: '' },
        },
      },
    );
    const checkpoint = JSON.parse(JSON.stringify(await checkpointNetwork(plan.changes, machine)));
    for (const change of plan.changes) await applyNetworkChange(change, machine, CONTEXT);

    expect(await readFile(join(root, DIR, '10-eth0.network'), 'utf8')).toContain('DHCP=yes');
    expect(await readlink(join(root, DIR, '99-default.link'))).toBe('/dev/null');
    await expect(lstat(join(root, DIR, '20-old.network'))).rejects.toThrow(/ENOENT/);
    expect(machine.calls).toEqual([
      'org.freedesktop.network1 /org/freedesktop/network1 org.freedesktop.network1.Manager.Reload',
    ]);

    const fileChanges = plan.changes.filter((change) => !change.undoLast);
    for (const change of fileChanges.reverse()) await undoNetworkChange(change, checkpoint, machine, CONTEXT);
    // Undo is idempotent: a change undone twice (interrupted, then recovered) ends the same.
    for (const change of fileChanges) await undoNetworkChange(change, checkpoint, machine, CONTEXT);
    await undoNetworkChange(defined(plan.changes.at(-1)), checkpoint, machine, CONTEXT);

    expect(await readFile(join(root, DIR, '10-eth0.network'), 'utf8')).toBe('[Match]\nName=eth0\n');
    expect(await readFile(join(root, DIR, '20-old.network'), 'utf8')).toBe('[Match]\nName=old0\n');
    await expect(lstat(join(root, DIR, '99-default.link'))).rejects.toThrow(/ENOENT/);
    expect(machine.calls).toHaveLength(2);
  });

  it('creates a file holding a key readable only by root and systemd-network', async () => {
    const machine = new RecordingMachine(root);
    const path = `${DIR}/30-wg0.netdev`;
    const [change] = planNetworkChanges(section({}), {
      files: { [path]: { kind: 'netdev', masked: false, content: '[WireGuard]\nPrivateKey=aGVsbG8=\n' } },
    }).changes;
    await applyNetworkChange(defined(change), machine, CONTEXT);
    const stats = await lstat(join(root, path));
    expect([stats.mode & 0o777, stats.uid, stats.gid]).toEqual([0o640, 0, 998]);
  });

  it('names networkd when the reload fails', async () => {
    const machine = new RecordingMachine(root);
    machine.failWith = new Error('org.freedesktop.network1 has no owner');
    const reload = planNetworkChanges(section({}), {
      files: { [`${DIR}/40-x.network`]: { kind: 'network', masked: false, content: '' } },
    }).changes.at(-1);
    await expect(applyNetworkChange(defined(reload), machine, CONTEXT)).rejects.toThrow(
      'cannot reload systemd-networkd: org.freedesktop.network1 has no owner',
    );
  });
});
