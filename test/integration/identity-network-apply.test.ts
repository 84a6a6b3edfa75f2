// The identity and network writers on a real target (#4): plan a new hostname, pretty hostname, time zone,
// locale, keymaps and a networkd file; checkpoint, apply each change through hostname1/timedate1/locale1 and
// network1, re-plan to nothing, check with the target's own tools; then undo, and find the settings and the
// files byte for byte as they were.
import { lstat, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Change, PHASES } from '../../src/engine/change.js';
import type { Machine } from '../../src/machine/machine.js';
import { identityPlugin } from '../../src/plugins/identity/index.js';
import { networkPlugin } from '../../src/plugins/network/index.js';
import type { Plugin, PluginWriter } from '../../src/plugins/types.js';
import { containerRoot, execInTarget, machineFor, target } from './testbed-env.js';

const T = target(3);
const CONTEXT = { progress: () => {}, changeTimeoutMs: 60_000 };
const TEST_NETWORK = '/etc/systemd/network/90-op-dbus-test.network';
const TEST_NETWORK_TEXT = '[Match]\nName=opdbus-none0\n\n[Network]\nAddress=192.0.2.1/24\n';
// The target has no console keymaps (no kbd package): localed refuses a keymap it cannot find, so one is planted.
const KEYMAP_DIR = '/usr/share/keymaps';
const KEYMAP = 'op-dbus-test';
const IDENTITY_FILES = [
  '/etc/hostname',
  '/etc/machine-info',
  '/etc/localtime',
  '/etc/timezone',
  '/etc/adjtime',
  '/etc/locale.conf',
  '/etc/default/locale',
  '/etc/vconsole.conf',
  '/etc/default/keyboard',
  '/etc/X11/xorg.conf.d/00-keyboard.conf',
];

type AnyPlugin = Plugin<unknown, unknown>;
const PLUGINS = [identityPlugin, networkPlugin] as unknown as AnyPlugin[];

interface Section {
  config: unknown;
  facts: unknown;
}

let machine: Machine;
let original: Record<string, Section>;
let originalFiles: Record<string, string>;
let originalKernelHostname: string;
let originalEnvironment: string;
let plannedChanges: Map<AnyPlugin, Change[]>;
let checkpoints: Map<AnyPlugin, unknown>;
let keymapDirExisted: boolean;

const writerOf = (plugin: AnyPlugin) => plugin.writer as PluginWriter<unknown, unknown>;

async function discoverAll(): Promise<Record<string, Section>> {
  const sections: Record<string, Section> = {};
  for (const plugin of PLUGINS) {
    const found = await plugin.discover(machine, { managedBusNames: new Map() });
    sections[plugin.name] = {
      config: plugin.configSchema.parse(found.config),
      facts: plugin.factsSchema.parse(found.facts),
    };
  }
  return sections;
}

/** Each path as the host sees it in the target's root: absent, a symlink's target, or mode, owner and bytes. */
async function snapshotFiles(paths: readonly string[]): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  for (const path of paths) {
    const hostPath = join(containerRoot(T), path);
    const stats = await lstat(hostPath).catch(() => undefined);
    if (!stats) snapshot[path] = 'absent';
    else if (stats.isSymbolicLink()) snapshot[path] = `-> ${await readlink(hostPath)}`;
    else
      snapshot[path] =
        `${stats.mode.toString(8)} ${stats.uid}:${stats.gid} ${(await readFile(hostPath)).toString('base64')}`;
  }
  return snapshot;
}

async function networkdFiles(): Promise<string[]> {
  const listed = await execInTarget(T, ['find', '/etc/systemd/network', '-mindepth', '1', '!', '-type', 'd']);
  return listed.split('\n').filter(Boolean).sort();
}

function desiredConfigs(): Map<AnyPlugin, unknown> {
  const identity = structuredClone(original.identity?.config) as Record<string, Record<string, unknown>>;
  Object.assign(identity.hostname as object, {
    staticHostname: 'opdbus-t4-twin',
    prettyHostname: 'op-dbus twin 4',
  });
  Object.assign(identity.time as object, { timezone: 'Europe/Warsaw' });
  Object.assign(identity.locale as object, {
    variables: { LANG: 'C.UTF-8', LC_TIME: 'C' },
    vconsoleKeymap: KEYMAP,
    x11Layout: 'de',
    x11Variant: 'nodeadkeys',
  });
  const network = structuredClone(original.network?.config) as { files: Record<string, unknown> };
  network.files[TEST_NETWORK] = { kind: 'network', masked: false, content: TEST_NETWORK_TEXT };
  // Parsed as a desired document would be: the schemas must accept what the test asks for.
  return new Map<AnyPlugin, unknown>([
    [PLUGINS[0] as AnyPlugin, identityPlugin.configSchema.parse(identity)],
    [PLUGINS[1] as AnyPlugin, networkPlugin.configSchema.parse(network)],
  ]);
}

function planAll(current: Record<string, Section>) {
  const desired = desiredConfigs();
  return PLUGINS.map((plugin) => ({
    plugin,
    plan: writerOf(plugin).plan(current[plugin.name] as Section, desired.get(plugin), { prune: false }),
  }));
}

/** Undo as the engine does: everything in reverse order, then the undo-last changes (reloads) in forward order. */
async function undoAll(): Promise<void> {
  const all = [...plannedChanges].flatMap(([plugin, changes]) =>
    changes.map((change) => ({ plugin, change })),
  );
  const ordered = [
    ...all.filter(({ change }) => !change.undoLast).reverse(),
    ...all.filter(({ change }) => change.undoLast),
  ];
  for (const { plugin, change } of ordered)
    await writerOf(plugin).undo(change, checkpoints.get(plugin), machine, CONTEXT);
}

beforeAll(async () => {
  machine = machineFor(T);
  keymapDirExisted =
    (await execInTarget(T, ['sh', '-c', `test -e ${KEYMAP_DIR} && echo yes || true`])).trim() === 'yes';
  await execInTarget(T, [
    'install',
    '-D',
    '-m',
    '0644',
    '/dev/null',
    `${KEYMAP_DIR}/i386/qwerty/${KEYMAP}.map`,
  ]);
  original = await discoverAll();
  originalFiles = await snapshotFiles([...IDENTITY_FILES, ...(await networkdFiles())]);
  originalKernelHostname = await execInTarget(T, ['hostname']);
  originalEnvironment = await execInTarget(T, ['systemctl', 'show-environment']);
  plannedChanges = new Map();
  checkpoints = new Map();
});

afterAll(async () => {
  // After a failure half-way, put the target back anyway: undo is idempotent.
  if (checkpoints.size > 0) await undoAll().catch(() => undefined);
  await execInTarget(T, [
    'rm',
    '-rf',
    keymapDirExisted ? `${KEYMAP_DIR}/i386/qwerty/${KEYMAP}.map` : KEYMAP_DIR,
  ]);
  await machine.close();
});

describe('identity and network writers on testbed target #4', () => {
  it('plans one change per setting, the networkd file and a reload, with nothing unresolved', () => {
    const planned = planAll(original);
    for (const { plugin, plan } of planned) {
      expect(plan.unresolved).toEqual([]);
      plannedChanges.set(plugin, plan.changes);
    }
    expect(
      planned.flatMap(({ plan }) =>
        plan.changes.map((change) => `${change.phase} ${change.id} ${change.risk}`),
      ),
    ).toEqual([
      'settings identity:static-hostname:hostname.staticHostname medium',
      'settings identity:pretty-hostname:hostname.prettyHostname low',
      'settings identity:timezone:time.timezone low',
      'settings identity:locale:locale.variables low',
      'settings identity:vconsole-keyboard:locale.vconsole-keyboard low',
      'settings identity:x11-keyboard:locale.x11-keyboard low',
      `files network:networkd-file:${TEST_NETWORK} low`,
      // The new file matches no link; host0's own file is untouched.
      'reload network:reload:systemd-networkd medium',
    ]);
  });

  it('applies every change phase by phase, after which the plan is empty', async () => {
    for (const [plugin, changes] of plannedChanges) {
      checkpoints.set(
        plugin,
        JSON.parse(JSON.stringify(await writerOf(plugin).checkpoint(changes, machine))),
      );
    }
    for (const phase of PHASES) {
      for (const [plugin, changes] of plannedChanges) {
        for (const change of changes.filter((candidate) => candidate.phase === phase))
          await writerOf(plugin).apply(change, machine, CONTEXT);
      }
    }
    for (const { plan } of planAll(await discoverAll()))
      expect(plan).toEqual({ changes: [], unresolved: [] });
  });

  it('shows the new settings to the target’s own tools', async () => {
    const hostnamectl = JSON.parse(await execInTarget(T, ['hostnamectl', '--json=short']));
    expect([hostnamectl.StaticHostname, hostnamectl.PrettyHostname]).toEqual([
      'opdbus-t4-twin',
      'op-dbus twin 4',
    ]);
    expect(await execInTarget(T, ['timedatectl', 'show', '--property=Timezone', '--value'])).toBe(
      'Europe/Warsaw\n',
    );
    const localectl = await execInTarget(T, ['localectl', 'status']);
    expect(localectl).toMatch(/System Locale: LANG=C\.UTF-8\s+LC_TIME=C\n/);
    expect(localectl).toMatch(new RegExp(`VC Keymap: ${KEYMAP}\\n`));
    expect(localectl).toMatch(/X11 Layout: de\n(.|\n)*X11 Variant: nodeadkeys\n/);
    expect(await execInTarget(T, ['cat', TEST_NETWORK])).toBe(TEST_NETWORK_TEXT);
    // The reload left the link the target is reached through configured.
    expect(await execInTarget(T, ['networkctl', 'list', '--no-legend', 'host0'])).toMatch(
      /host0\s+ether\s+routable\s+configured/,
    );
  });

  it('undoes every change back to the discovered state and the same bytes', async () => {
    await undoAll();
    const after = await discoverAll();
    for (const plugin of PLUGINS) expect(after[plugin.name]?.config).toEqual(original[plugin.name]?.config);
    expect(await networkdFiles()).toEqual(
      Object.keys(originalFiles).filter((path) => path.startsWith('/etc/systemd/network/')),
    );
    expect(await snapshotFiles(Object.keys(originalFiles))).toEqual(originalFiles);
    expect(await execInTarget(T, ['hostname'])).toBe(originalKernelHostname);
    expect(await execInTarget(T, ['systemctl', 'show-environment'])).toBe(originalEnvironment);
    checkpoints.clear();
  });
});
