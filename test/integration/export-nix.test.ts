// Checks generated NixOS configurations with the real Nix tools (Debian's nix-bin): a capture of testbed
// target 1 parses, evaluating it with stub arguments gives back the capture's values for every mapped option,
// and hostile strings survive the printer unchanged.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverMachine } from '../../src/engine/discover.js';
import { machineStateToNix } from '../../src/export/nix/module.js';
import { PACKAGE_ATTRIBUTES } from '../../src/export/nix/package-attributes.js';
import { nixAttributeName, nixString } from '../../src/export/nix/printer.js';
import { enableFlagOf, SERVICE_MODULES } from '../../src/export/nix/service-modules.js';
import type { IdentityConfig } from '../../src/plugins/identity/schema.js';
import type { KernelConfig } from '../../src/plugins/kernel/schema.js';
import type { NetworkConfig } from '../../src/plugins/network/schema.js';
import type { PackagesConfig } from '../../src/plugins/packages/schema.js';
import { findPlugin, plugins } from '../../src/plugins/registry.js';
import type { SystemdConfig } from '../../src/plugins/systemd/schema.js';
import type { MachineState } from '../../src/state/schema.js';
import { machineFor, target } from './testbed-env.js';

const run = promisify(execFile);
/** No daemon, no store writes: evaluation only. The build-users-group line silences a warning about nixbld. */
const NIX_ENV = { ...process.env, NIX_CONFIG: 'build-users-group =' };

async function nixInstantiate(args: string[]): Promise<string> {
  const { stdout } = await run('nix-instantiate', ['--readonly-mode', ...args], {
    env: NIX_ENV,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

let workDir: string;
let captured: MachineState;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'op-dbus-export-nix-'));
  const machine = machineFor(target(0));
  try {
    captured = (await discoverMachine(machine, { plugins, registry: plugins })).state;
  } finally {
    await machine.close();
  }
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** Evaluates a configuration.nix with stub arguments: every pkgs attribute is its own name. */
async function evaluate(text: string): Promise<Record<string, unknown>> {
  const path = join(workDir, 'configuration.nix');
  await writeFile(path, text);
  const names = [...new Set(Object.values(PACKAGE_ATTRIBUTES))].map(nixString).join(' ');
  const wrapper = join(workDir, 'evaluate.nix');
  await writeFile(
    wrapper,
    `let pkgs = builtins.listToAttrs (map (name: { inherit name; value = name; }) [ ${names} ]);\n` +
      `in import ./configuration.nix { config = { }; inherit pkgs; lib = { }; }\n`,
  );
  return JSON.parse(await nixInstantiate(['--eval', '--strict', '--json', wrapper]));
}

function at(value: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, name) => (node as Record<string, unknown> | undefined)?.[name], value);
}

function configOf<Config>(state: MachineState, name: string): Config {
  const section = state.sections[name];
  if (!section) throw new Error(`the capture has no ${name} section`);
  return section.config as Config;
}

const HOSTILE = `say "hi" \${HOME} '' \\ \\\${x} $\${y} ü 😀\ttab`;

/** The capture with hostile but valid values in every mapped section (each section checked by its schema). */
function enriched(state: MachineState): MachineState {
  const copy = structuredClone(state);
  const identity = configOf<IdentityConfig>(copy, 'identity');
  identity.time.timezone = 'America/Argentina/Buenos_Aires';
  identity.locale.variables = { LANG: 'en_US.UTF-8', LC_TIME: 'de_DE.UTF-8' };
  identity.locale.vconsoleKeymap = 'de-latin1';
  const kernel = configOf<KernelConfig>(copy, 'kernel');
  kernel.sysctl = {
    'vm.swappiness': { value: '10', ignoreFailure: false },
    'kernel.core_pattern': { value: `|/usr/bin/x ${HOSTILE}`, ignoreFailure: false },
    'net.ipv4.conf.*.rp_filter': { value: '2', ignoreFailure: false },
    'net.ipv4.conf.lo.rp_filter': { value: null, ignoreFailure: false },
  };
  kernel.modulesLoad = ['br_netfilter', 'overlay'];
  kernel.modprobe = {
    ...kernel.modprobe,
    blacklist: ['pcspkr'],
    options: { snd_hda_intel: ['power_save=1', 'model="a b"'] },
    install: { floppy: '/bin/false' },
  };
  const systemd = configOf<SystemdConfig>(copy, 'systemd');
  systemd.unitFiles = {
    ...systemd.unitFiles,
    'hostile@.service': 'enabled',
    'ssh.service': 'enabled',
    'cups.service': 'disabled',
    'docker.service': 'masked',
  };
  systemd.files = {
    ...systemd.files,
    '/etc/systemd/system/hostile@.service': {
      content: `[Unit]\nDescription=${HOSTILE}\nAfter=network.target\nWants=a.service b.service\n\n[Service]\nExecStart=/bin/echo %i \${x}\nEnvironment=A=1\nEnvironment="B=two words"\n\n[Install]\nWantedBy=multi-user.target\n`,
    },
    '/etc/systemd/system/hostile@.service.d/10-limits.conf': { content: '[Service]\nLimitNOFILE=4096\n' },
  };
  const packages = configOf<PackagesConfig>(copy, 'packages');
  for (const name of ['vim', 'git', 'tmux', 'no-such-package-in-table'])
    packages.packages[name] = { version: '1.0-1', architecture: 'amd64', manual: true };
  const network = configOf<NetworkConfig>(copy, 'network');
  network.files = {
    ...network.files,
    '/etc/systemd/network/50-hostile.network': {
      kind: 'network',
      masked: false,
      content: `[Match]\nName=eth0\n# ${HOSTILE}\n[Network]\nDHCP=yes\n`,
    },
    '/etc/systemd/network/60-br0.netdev': {
      kind: 'netdev',
      masked: false,
      content: '[NetDev]\nName=br0\nKind=bridge\n',
    },
    '/etc/systemd/network/50-hostile.network.d/mtu.conf': {
      kind: 'network',
      masked: false,
      content: '[Link]\nMTUBytes=1400\n',
    },
  };
  for (const name of ['identity', 'kernel', 'systemd', 'packages', 'network'])
    findPlugin(name)?.configSchema.parse(copy.sections[name]?.config);
  return copy;
}

/** What every mapped option must evaluate to, derived from the document directly. */
function expectMappedValues(state: MachineState, json: Record<string, unknown>) {
  const identity = configOf<IdentityConfig>(state, 'identity');
  expect(at(json, ['networking', 'hostName'])).toBe(identity.hostname.staticHostname);
  expect(at(json, ['time', 'timeZone'])).toBe(identity.time.timezone);
  if (identity.locale.variables.LANG)
    expect(at(json, ['i18n', 'defaultLocale'])).toBe(identity.locale.variables.LANG);
  const kernel = configOf<KernelConfig>(state, 'kernel');
  expect(at(json, ['boot', 'kernelParams'])).toEqual(kernel.commandLine);
  expect(at(json, ['boot', 'kernelModules'])).toEqual(kernel.modulesLoad);
  expect(at(json, ['boot', 'blacklistedKernelModules'])).toEqual(kernel.modprobe.blacklist);
  const sysctl = Object.fromEntries(
    Object.entries(kernel.sysctl)
      .filter(([key, setting]) => !key.includes('*') && setting.value !== null)
      .map(([key, setting]) => [key, setting.value]),
  );
  expect(at(json, ['boot', 'kernel', 'sysctl'])).toEqual(sysctl);
  for (const [unit, state_] of Object.entries(configOf<SystemdConfig>(state, 'systemd').unitFiles)) {
    const path = SERVICE_MODULES[unit];
    const flag = enableFlagOf(state_);
    if (path && flag !== undefined) expect(at(json, [...path]), unit).toBe(flag);
  }
  const manual = Object.entries(configOf<PackagesConfig>(state, 'packages').packages)
    .filter(([name, pkg]) => pkg.manual && PACKAGE_ATTRIBUTES[name])
    .map(([name]) => PACKAGE_ATTRIBUTES[name]);
  expect(at(json, ['environment', 'systemPackages'])).toEqual([...new Set(manual)].sort());
  for (const [path, file] of Object.entries(configOf<NetworkConfig>(state, 'network').files)) {
    const match = /^\/etc\/systemd\/network\/([^/]+)\.network$/.exec(path);
    if (match)
      expect(at(json, ['systemd', 'network', 'networks', match[1] as string, 'extraConfig'])).toBe(
        file.content,
      );
  }
}

describe('NixOS export checked by nix-instantiate', () => {
  it('a capture of target 1 parses and evaluates to its values', async () => {
    const { text } = machineStateToNix(captured);
    const path = join(workDir, 'parse.nix');
    await writeFile(path, text);
    await nixInstantiate(['--parse', path]);
    expectMappedValues(captured, await evaluate(text));
  });

  it('hostile values in every section evaluate back unchanged', async () => {
    const state = enriched(captured);
    const { text, unmapped } = machineStateToNix(state);
    const json = await evaluate(text);
    expectMappedValues(state, json);
    expect(at(json, ['systemd', 'services', 'hostile@'])).toEqual({
      description: HOSTILE,
      after: ['network.target'],
      wants: ['a.service', 'b.service'],
      serviceConfig: {
        ExecStart: `/bin/echo %i \${x}`,
        Environment: ['A=1', '"B=two words"'],
        LimitNOFILE: '4096',
      },
      wantedBy: ['multi-user.target'],
    });
    expect(at(json, ['i18n', 'extraLocaleSettings'])).toEqual({ LC_TIME: 'de_DE.UTF-8' });
    expect(at(json, ['console', 'keyMap'])).toBe('de-latin1');
    expect(at(json, ['boot', 'extraModprobeConfig'])).toBe(
      'options snd_hda_intel power_save=1 model="a b"\ninstall floppy /bin/false\n',
    );
    expect(at(json, ['environment', 'etc', 'systemd/network/60-br0.netdev', 'text'])).toBe(
      '[NetDev]\nName=br0\nKind=bridge\n',
    );
    expect(at(json, ['environment', 'etc', 'systemd/network/50-hostile.network.d/mtu.conf', 'text'])).toBe(
      '[Link]\nMTUBytes=1400\n',
    );
    const items = unmapped.map((entry) => entry.item);
    expect(items).toContain('$.sections.kernel.config.sysctl["net.ipv4.conf.*.rp_filter"]');
    expect(items).toContain('$.sections.kernel.config.sysctl["net.ipv4.conf.lo.rp_filter"]');
    expect(items).toContain('package no-such-package-in-table');
    for (const item of items) expect(text).toContain(item);
  });

  it('random hostile strings round-trip through the printer as values and attribute names', async () => {
    const strings = hostileStrings(300);
    const list = strings.map(nixString).join('\n');
    const names = strings.map((s, index) => `${nixAttributeName(s)} = ${index};`).join('\n');
    const path = join(workDir, 'strings.nix');
    await writeFile(path, `{ values = [\n${list}\n]; names = {\n${names}\n}; }\n`);
    const json = JSON.parse(await nixInstantiate(['--eval', '--strict', '--json', path]));
    expect(json.values).toEqual(strings);
    expect(json.names).toEqual(Object.fromEntries(strings.map((s, index) => [s, index])));
  });
});

/** Strings built from the pieces that break Nix quoting, with a fixed seed so failures reproduce. */
function hostileStrings(count: number): string[] {
  const pieces = [
    '"',
    '\\',
    '${',
    '$',
    '{',
    '}',
    "''",
    "'''",
    "''$",
    "''\\",
    '$${',
    '\\${',
    '\n',
    '\r',
    '\t',
    ' ',
    'a',
    'Z',
    '0',
    '.',
    '@',
    '-',
    'é',
    '日本',
    '😀',
    '𝄞',
    '\u2028',
    '\u00a0',
    '\x1b',
    '\x7f',
    'in',
    'rec',
    '#',
    '/*',
  ];
  let seed = 20261122;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  const strings = new Set(['', 'if', 'or', '$', "''", '\\', '"', `\${`]);
  while (strings.size < count) {
    const length = next() % 12;
    strings.add(Array.from({ length }, () => pieces[next() % pieces.length]).join(''));
  }
  return [...strings];
}
