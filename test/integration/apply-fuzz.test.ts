// Hostile and mutated documents: 1,200 mutations of a real capture are each refused with a JSON path or
// planned without crashing, no planned file change leaves its plugin's directories, and refused documents
// handed to `op-dbus apply` change nothing on the target.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.js';
import { parseStateDocument } from '../../src/cli/load-document.js';
import { discoverMachine } from '../../src/engine/discover.js';
import { planMachine } from '../../src/engine/plan.js';
import { plugins } from '../../src/plugins/registry.js';
import { sealDocument } from '../../src/state/document.js';
import type { MachineState } from '../../src/state/schema.js';
import { opDbus } from '../support/run-cli.js';
import { machineFor, target, targetArgs } from './testbed-env.js';

const B = target(1);
const MUTATIONS = 1200;

const HOSTILE_STRINGS = [
  '../../etc/shadow',
  '/etc/shadow',
  '/etc/systemd/system/../../../etc/shadow',
  '/etc/sysctl.d/../../root/.ssh/authorized_keys',
  'x.service\nExecStart=/bin/sh',
  'a;rm -rf /.service',
  '$(reboot).service',
  '`id`.service',
  'foo/bar.service',
  '..',
  '',
  'name\u0000with-nul',
  '\u202e\u0000',
  'x'.repeat(300),
  '$' + '{evil}', // Nix and shell interpolation
  "''; \\",
];
const HOSTILE_KEYS = [
  ...HOSTILE_STRINGS,
  '/etc/systemd/system/..',
  '/etc/systemd/system/x.service.d/../../../../etc/passwd',
  '/etc/systemd/network/../../shadow',
  '/etc/modprobe.d/x.conf\n',
  '__proto__',
  'constructor',
];
/** Where each plugin may write files; a planned file change anywhere else is a defect. */
const ALLOWED_FILE_DIRS = [
  '/etc/systemd/system/',
  '/etc/systemd/network/',
  '/etc/sysctl.d/',
  '/etc/modules-load.d/',
  '/etc/modprobe.d/',
  '/etc/sysctl.conf',
  '/etc/modules',
  '/etc/default/grub',
  '/etc/kernel/cmdline',
];

/** Deterministic PRNG (mulberry32), so a failing mutation can be replayed by its index. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function containers(value: Json, out: (Json[] | { [key: string]: Json })[] = []) {
  if (value !== null && typeof value === 'object') {
    out.push(value);
    for (const inner of Array.isArray(value) ? value : Object.values(value)) containers(inner, out);
  }
  return out;
}

/** Mutations that keep the document's shape: a string becomes a hostile one, an entry of a record goes. */
function mutateInShape(document: Json, next: () => number): void {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const records = containers(document).filter((value) => !Array.isArray(value)) as { [key: string]: Json }[];
  const target = pick(records);
  const keys = Object.keys(target);
  if (keys.length === 0) return;
  const key = pick(keys);
  if (typeof target[key] === 'string') target[key] = pick(HOSTILE_STRINGS);
  else if (next() < 0.5) delete target[key];
}

function mutate(document: Json, next: () => number): void {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const hostileValue = (): Json =>
    pick<Json>([
      pick(HOSTILE_STRINGS),
      'y'.repeat(1024 * 1024 + 1),
      -1,
      1e308,
      Number.MAX_SAFE_INTEGER,
      true,
      null,
      [],
      {},
      [pick(HOSTILE_STRINGS)],
      { [pick(HOSTILE_KEYS)]: pick(HOSTILE_STRINGS) },
    ]);
  const target = pick(containers(document));
  if (Array.isArray(target)) {
    if (target.length > 0 && next() < 0.5) target[Math.floor(next() * target.length)] = hostileValue();
    else target.push(hostileValue());
    return;
  }
  const keys = Object.keys(target);
  const operation = next();
  if (operation < 0.35 && keys.length > 0) target[pick(keys)] = hostileValue();
  else if (operation < 0.55 && keys.length > 0) delete target[pick(keys)];
  else if (operation < 0.85 && keys.length > 0) {
    const key = pick(keys);
    const value = target[key] as Json;
    delete target[key];
    target[pick(HOSTILE_KEYS)] = value;
  } else target[pick(HOSTILE_KEYS)] = hostileValue();
}

let capture: MachineState;
let work: string;

describe('fuzzed documents are refused or planned, never crash, never change the machine unless valid', () => {
  beforeAll(async () => {
    const machine = machineFor(B);
    try {
      const writable = plugins.filter((plugin) => plugin.writer);
      capture = (await discoverMachine(machine, { plugins: writable, registry: plugins })).state;
    } finally {
      await machine.close();
    }
    work = await mkdtemp(join(tmpdir(), 'op-dbus-fuzz-'));
  }, 60_000);

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it(`${MUTATIONS} mutated documents: refused naming a JSON path, or planned within the allowed directories`, () => {
    const writable = plugins.filter((plugin) => plugin.writer);
    let refused = 0;
    let planned = 0;
    for (let index = 0; index < MUTATIONS; index++) {
      const next = random(index + 1);
      const document = structuredClone(capture) as unknown as Json;
      const rounds = 1 + Math.floor(next() * 3);
      const inShape = next() < 0.5;
      for (let round = 0; round < rounds; round++) (inShape ? mutateInShape : mutate)(document, next);
      // Half are sealed again, so they get past the integrity check and meet the schema and the planners.
      let text: string;
      try {
        const { integrity: _stale, ...rest } = document as unknown as MachineState;
        text = JSON.stringify(next() < 0.5 ? sealDocument(rest) : document);
      } catch {
        text = JSON.stringify(document); // not sealable (e.g. a number that is not JSON): still a document to refuse
      }
      let state: MachineState;
      try {
        state = parseStateDocument(text, `mutation ${index}`);
      } catch (error) {
        expect(error, `mutation ${index}`).toBeInstanceOf(UsageError);
        expect((error as Error).message, `mutation ${index}`).toMatch(/\$/);
        refused++;
        continue;
      }
      const plan = planMachine(capture, state, { plugins: writable, prune: false });
      for (const change of plan.changes) {
        if (!change.target.startsWith('/')) continue;
        expect(change.target, `mutation ${index}`).not.toMatch(/(^|\/)\.\.(\/|$)/);
        expect(
          ALLOWED_FILE_DIRS.some((dir) => change.target.startsWith(dir)),
          `mutation ${index}: ${change.target}`,
        ).toBe(true);
      }
      planned++;
    }
    expect(refused + planned).toBe(MUTATIONS);
    // Both paths are exercised: most mutations are refused, and a good share reaches the planners.
    expect(refused).toBeGreaterThan(MUTATIONS / 2);
    expect(planned).toBeGreaterThan(MUTATIONS / 20);
  }, 120_000);

  it('refused documents handed to `op-dbus apply` leave the target untouched', async () => {
    const before = await opDbus([
      'discover',
      '--export',
      '-o',
      '-',
      '--plugin',
      'systemd,identity,kernel',
      ...targetArgs(B),
    ]);
    // biome-ignore lint/suspicious/noExplicitAny: hostile edits reach anywhere in the document.
    type AnyState = any;
    const hostile: Record<string, (state: AnyState) => void> = {
      'unknown apiVersion': (state) => {
        state.apiVersion = 'op-dbus/v999';
      },
      'unit name with a slash': (state) => {
        state.sections.systemd.config.unitFiles['../evil.service'] = 'enabled';
      },
      'unit name with a newline': (state) => {
        state.sections.systemd.config.activeState['x.service\nExecStart=/bin/sh'] = 'active';
      },
      'unit name with shell metacharacters': (state) => {
        state.sections.systemd.config.unitFiles['a;reboot.service'] = 'enabled';
      },
      'unit file outside the unit directory': (state) => {
        state.sections.systemd.config.files['/etc/shadow'] = { content: 'root::0:0:::::\n' };
      },
      'unit file path climbing out with ..': (state) => {
        state.sections.systemd.config.files['/etc/systemd/system/../../shadow'] = { content: 'x' };
      },
      'oversized unit file': (state) => {
        state.sections.systemd.config.files['/etc/systemd/system/big.service'] = {
          content: 'x'.repeat(2 * 1024 * 1024),
        };
      },
      'wrong type': (state) => {
        state.sections.systemd.config.unitFiles = ['enabled'];
      },
      'hostname with a newline': (state) => {
        state.sections.identity.config.hostname.staticHostname = 'evil\nhost';
      },
    };
    for (const [name, edit] of Object.entries(hostile)) {
      const copy = structuredClone(capture) as AnyState;
      edit(copy);
      const { integrity: _stale, ...rest } = copy;
      const file = join(work, `${name.replaceAll(' ', '-')}.json`);
      await writeFile(file, JSON.stringify(name === 'unknown apiVersion' ? copy : sealDocument(rest)));
      const applied = await opDbus(['apply', '--yes', file, ...targetArgs(B)]);
      expect(applied.code, name).toBe(1);
      expect(applied.stderr, name).toMatch(/\$[.[]/);
      expect(applied.stderr, name).not.toMatch(/\n\s+at /); // no stack trace
    }
    const after = await opDbus([
      'discover',
      '--export',
      '-o',
      '-',
      '--plugin',
      'systemd,identity,kernel',
      ...targetArgs(B),
    ]);
    expect(JSON.parse(after.stdout).integrity.config).toBe(JSON.parse(before.stdout).integrity.config);
  }, 120_000);
});
