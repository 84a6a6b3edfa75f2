import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DbusConnection, SignalEvent, SignalMatch } from '../../dbus/connection.js';
import type { Change } from '../../engine/change.js';
import { Machine } from '../../machine/machine.js';
import {
  applyPackagesChange,
  checkpointPackages,
  type PackagesCheckpoint,
  undoPackagesChange,
} from './apply.js';
import { planPackagesChanges } from './plan.js';

const TRANSACTION_IFACE = 'org.freedesktop.PackageKit.Transaction';
const PROPERTIES_IFACE = 'org.freedesktop.DBus.Properties';
const HELLO = 'opdbus-hello;1.0-1;all;local';
const HELLO_INSTALLED = 'opdbus-hello;1.0-1;all;manual:local';
const DATA_INSTALLED = 'opdbus-hello-data;1.0-1;all;auto:local';

type Signal = [member: string, body: unknown[], iface?: string];
/** What PackageKit emits for a method call, given its arguments. */
type Script = Partial<Record<string, (args: unknown[]) => Signal[]>>;

const finished = (exit = 1): Signal => ['Finished', [exit, 10]];
const pkg = (info: number, id: string): Signal => ['Package', [info, id, 'summary']];

let root: string;
let calls: string[];

/** A machine whose bus is a scripted PackageKit: each method call replays its script on that transaction. */
function machineWith(script: Script): Machine {
  const machine = new Machine({ root, busAddress: 'unix:path=/nonexistent' });
  const handlers = new Map<string, (event: SignalEvent) => void>();
  let transactions = 0;
  const bus = {
    callOne: async () => `/${++transactions}_tx`,
    subscribe: async (match: SignalMatch, handler: (event: SignalEvent) => void) => {
      handlers.set(match.path as string, handler);
      return async () => handlers.delete(match.path as string);
    },
    call: async (
      _service: string,
      path: string,
      _iface: string,
      member: string,
      options?: { args?: unknown[] },
    ) => {
      const args = options?.args ?? [];
      calls.push(`${member}${JSON.stringify(args)}`);
      const signals = script[member]?.(args) ?? [];
      setTimeout(() => {
        for (const [signal, body, iface = TRANSACTION_IFACE] of signals)
          handlers.get(path)?.({ sender: ':1.5', path, iface, member: signal, body });
      }, 1);
      return [];
    },
  } as unknown as DbusConnection;
  vi.spyOn(machine, 'bus').mockResolvedValue(bus);
  return machine;
}

function contextWith(lines: string[] = [], changeTimeoutMs = 5000) {
  return { progress: (line: string) => lines.push(line), changeTimeoutMs };
}

const entry = { version: '1.0-1', architecture: 'all', manual: true };
const facts = {
  source: 'dpkg' as const,
  count: 0,
  nativeArchitecture: 'amd64',
  autoInstalledMarks: 'read' as const,
  invalidNames: [],
};

function installChange(key = 'opdbus-hello', after = entry): Change {
  const [change] = planPackagesChanges(
    { config: { packages: {} }, facts },
    { packages: { [key]: after } },
    { prune: false },
  ).changes;
  return change as Change;
}

function removeChange(key = 'opdbus-hello', before = entry): Change {
  const [change] = planPackagesChanges(
    { config: { packages: { [key]: before } }, facts },
    { packages: {} },
    { prune: true },
  ).changes;
  return change as Change;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-packages-apply-'));
  calls = [];
});

afterEach(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

describe('applying an install', () => {
  it('resolves the name, installs the candidate with only-trusted, and reports progress under the change', async () => {
    const lines: string[] = [];
    const machine = machineWith({
      Resolve: () => [pkg(2, HELLO), finished()],
      InstallPackages: () => [
        ['PropertiesChanged', [TRANSACTION_IFACE, { Status: 8 }, []], PROPERTIES_IFACE],
        ['PropertiesChanged', [TRANSACTION_IFACE, { Percentage: 50 }, []], PROPERTIES_IFACE],
        ['PropertiesChanged', [TRANSACTION_IFACE, { Percentage: 50 }, []], PROPERTIES_IFACE],
        ['ItemProgress', [HELLO, 9, 25]],
        ['PropertiesChanged', [TRANSACTION_IFACE, { Percentage: 101, Status: 9 }, []], PROPERTIES_IFACE],
        finished(),
      ],
    });
    await applyPackagesChange(installChange(), machine, contextWith(lines));
    expect(calls).toEqual(['Resolve[0,["opdbus-hello"]]', `InstallPackages[2,["${HELLO}"]]`]);
    expect(lines).toEqual([
      'install opdbus-hello: download',
      'install opdbus-hello: download 50%',
      'install opdbus-hello: opdbus-hello 1.0-1: install 25%',
      'install opdbus-hello: install',
    ]);
  });

  it('picks the desired architecture and, when offered, the desired version', async () => {
    const machine = machineWith({
      Resolve: () => [
        pkg(2, 'libc6;2.36-9+deb12u7;i386;debian'),
        pkg(2, 'libc6;2.36-9+deb12u4;amd64;debian'),
        pkg(2, 'libc6;2.36-9+deb12u7;amd64;debian'),
        finished(),
      ],
      InstallPackages: () => [finished()],
    });
    const change = installChange('libc6', { version: '2.36-9+deb12u7', architecture: 'amd64', manual: true });
    await applyPackagesChange(change, machine, contextWith());
    expect(calls.at(-1)).toBe('InstallPackages[2,["libc6;2.36-9+deb12u7;amd64;debian"]]');
  });

  it('installs the candidate when the desired version is not offered, and says so', async () => {
    const lines: string[] = [];
    const machine = machineWith({
      Resolve: () => [pkg(2, 'opdbus-hello;1.1-1;all;local'), finished()],
      InstallPackages: () => [finished()],
    });
    await applyPackagesChange(installChange(), machine, contextWith(lines));
    expect(calls.at(-1)).toBe('InstallPackages[2,["opdbus-hello;1.1-1;all;local"]]');
    expect(lines).toContain('install opdbus-hello: 1.0-1 is not offered; installing 1.1-1');
  });

  it('does nothing when the package is installed already (pulled in by an earlier install)', async () => {
    const lines: string[] = [];
    const machine = machineWith({ Resolve: () => [pkg(1, HELLO_INSTALLED), finished()] });
    await applyPackagesChange(installChange(), machine, contextWith(lines));
    expect(calls).toEqual(['Resolve[0,["opdbus-hello"]]']);
    expect(lines).toEqual(['install opdbus-hello: already installed (1.0-1)']);
  });

  it('refreshes the package lists once per machine when a name is unknown, then fails naming the package', async () => {
    const machine = machineWith({
      Resolve: () => [finished()],
      RefreshCache: () => [['ErrorCode', [2, 'Cannot refresh cache whilst offline']], finished(2)],
    });
    await expect(applyPackagesChange(installChange(), machine, contextWith())).rejects.toThrow(
      'package opdbus-hello is not in any configured repository for all (refreshing the package lists failed: ' +
        'finished with exit failed (no-network: Cannot refresh cache whilst offline))',
    );
    expect(calls).toEqual([
      'Resolve[0,["opdbus-hello"]]',
      'RefreshCache[false]',
      'Resolve[0,["opdbus-hello"]]',
    ]);
    calls = [];
    await expect(
      applyPackagesChange(installChange('no-such-package'), machine, contextWith()),
    ).rejects.toThrow(/no-such-package is not in any configured repository/);
    expect(calls).toEqual(['Resolve[0,["no-such-package"]]', 'Resolve[0,["no-such-package"]]']);
  });

  it('finds a package the refresh made known', async () => {
    let refreshed = false;
    const machine = machineWith({
      Resolve: () => (refreshed ? [pkg(2, HELLO), finished()] : [finished()]),
      RefreshCache: () => {
        refreshed = true;
        return [finished()];
      },
      InstallPackages: () => [finished()],
    });
    await applyPackagesChange(installChange(), machine, contextWith());
    expect(calls.at(-1)).toBe(`InstallPackages[2,["${HELLO}"]]`);
  });

  it("fails with PackageKit's error, naming the change", async () => {
    const machine = machineWith({
      Resolve: () => [pkg(2, HELLO), finished()],
      InstallPackages: () => [
        ['ErrorCode', [58, 'E: post-installation script returned error exit status 1\n']],
        finished(2),
      ],
    });
    await expect(applyPackagesChange(installChange(), machine, contextWith())).rejects.toThrow(
      'install opdbus-hello: PackageKit InstallPackages finished with exit failed ' +
        '(package-failed-to-install: E: post-installation script returned error exit status 1)',
    );
  });

  it('gives the whole change its time budget, then cancels the transaction', async () => {
    const machine = machineWith({ Resolve: () => [pkg(2, HELLO), finished()] });
    await expect(applyPackagesChange(installChange(), machine, contextWith([], 200))).rejects.toThrow(
      /install opdbus-hello: PackageKit InstallPackages did not finish within \d+ ms; the transaction was cancelled/,
    );
    expect(calls.at(-1)).toBe('Cancel[]');
  });
});

describe('applying a removal', () => {
  it('removes only the installed package, refusing to take dependants', async () => {
    const machine = machineWith({
      Resolve: () => [pkg(1, HELLO_INSTALLED), finished()],
      RemovePackages: () => [finished()],
    });
    await applyPackagesChange(removeChange(), machine, contextWith());
    expect(calls).toEqual([
      'Resolve[4,["opdbus-hello"]]',
      `RemovePackages[2,["${HELLO_INSTALLED}"],false,false]`,
    ]);
  });

  it('does nothing when the package is gone already', async () => {
    const machine = machineWith({ Resolve: () => [finished()] });
    await applyPackagesChange(removeChange(), machine, contextWith());
    expect(calls).toEqual(['Resolve[4,["opdbus-hello"]]']);
  });
});

describe('checkpoint and undo', () => {
  async function writeDpkgDatabase(status: string, extendedStates?: string) {
    await mkdir(join(root, 'var/lib/dpkg'), { recursive: true });
    await writeFile(join(root, 'var/lib/dpkg/status'), status);
    if (extendedStates !== undefined) {
      await mkdir(join(root, 'var/lib/apt'), { recursive: true });
      await writeFile(join(root, 'var/lib/apt/extended_states'), extendedStates);
    }
  }

  const stanza = (name: string, architecture: string, version = '1.0') =>
    `Package: ${name}\nStatus: install ok installed\nArchitecture: ${architecture}\nVersion: ${version}\n`;

  it('checkpoints every installed package key and each target as the dpkg database has it', async () => {
    await writeDpkgDatabase(
      [stanza('dpkg', 'amd64'), stanza('libc6', 'i386'), stanza('vim', 'amd64', '2:9.0')].join('\n'),
      'Package: libc6\nArchitecture: i386\nAuto-Installed: 1\n',
    );
    const checkpoint = await checkpointPackages([installChange(), removeChange('vim')], machineWith({}));
    expect(checkpoint).toEqual({
      nativeArchitecture: 'amd64',
      installedBefore: ['dpkg', 'libc6:i386', 'vim'],
      targets: { 'opdbus-hello': null, vim: { version: '2:9.0', architecture: 'amd64', manual: true } },
    });
  });

  const checkpoint: PackagesCheckpoint = {
    nativeArchitecture: 'amd64',
    installedBefore: ['dpkg', 'orphan'],
    targets: { 'opdbus-hello': null },
  };

  /** The dpkg database after the install: the package, its dependency, and what was there before. */
  const afterInstall = (helloMark: 0 | 1) =>
    writeDpkgDatabase(
      [
        stanza('dpkg', 'amd64'),
        stanza('orphan', 'amd64'),
        stanza('opdbus-hello', 'all'),
        stanza('opdbus-hello-data', 'all'),
      ].join('\n'),
      `Package: opdbus-hello\nArchitecture: amd64\nAuto-Installed: ${helloMark}\n\n` +
        'Package: opdbus-hello-data\nArchitecture: amd64\nAuto-Installed: 1\n',
    );

  it('undoes an install by removing the package and what it brought, never what the checkpoint lists', async () => {
    await afterInstall(0);
    const machine = machineWith({
      Resolve: () => [pkg(1, HELLO_INSTALLED), finished()],
      RemovePackages: (args) =>
        args[0] === 4
          ? [
              pkg(13, HELLO_INSTALLED),
              pkg(13, DATA_INSTALLED),
              pkg(13, 'orphan;1.0;amd64;auto:debian'),
              finished(),
            ]
          : [finished()],
    });
    await undoPackagesChange(installChange(), checkpoint, machine, contextWith());
    expect(calls).toEqual([
      'Resolve[4,["opdbus-hello"]]',
      `RemovePackages[4,["${HELLO_INSTALLED}"],false,true]`,
      `RemovePackages[2,["${HELLO_INSTALLED}","${DATA_INSTALLED}"],false,false]`,
    ]);
  });

  it('undoes nothing for an install that did not happen or a package that was there before', async () => {
    await writeDpkgDatabase(stanza('dpkg', 'amd64'));
    await undoPackagesChange(installChange(), checkpoint, machineWith({}), contextWith());
    const before = { ...checkpoint, targets: { 'opdbus-hello': entry } };
    await undoPackagesChange(installChange(), before, machineWith({}), contextWith());
    expect(calls).toEqual([]);
  });

  it('leaves a package another install pulled in to the undo of that install', async () => {
    await afterInstall(1);
    const lines: string[] = [];
    await undoPackagesChange(installChange(), checkpoint, machineWith({}), contextWith(lines));
    expect(calls).toEqual([]);
    expect(lines).toEqual([
      'undo install opdbus-hello: installed as a dependency; removed with the package needing it',
    ]);
  });

  it('undoes a removal by installing the package again at its old version when offered', async () => {
    const machine = machineWith({
      Resolve: () => [pkg(2, 'vim;2:9.0.2-1;amd64;debian'), pkg(2, 'vim;2:9.0.1-1;amd64;debian'), finished()],
      InstallPackages: () => [finished()],
    });
    const old = { version: '2:9.0.1-1', architecture: 'amd64', manual: true };
    await undoPackagesChange(
      removeChange('vim', old),
      { ...checkpoint, targets: { vim: old } },
      machine,
      contextWith(),
    );
    expect(calls).toEqual(['Resolve[0,["vim"]]', 'InstallPackages[2,["vim;2:9.0.1-1;amd64;debian"]]']);
  });

  it('refuses a checkpoint that is not one it wrote', async () => {
    await expect(
      undoPackagesChange(installChange(), { installedBefore: 'x' }, machineWith({}), contextWith()),
    ).rejects.toThrow();
    expect(calls).toEqual([]);
  });
});
