import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Machine } from '../../machine/machine.js';
import { REDACTED } from '../../state/redact.js';
import { kernelPlugin } from './index.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-kernel-plugin-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('kernelPlugin on a root without /proc', () => {
  it('is unavailable on an empty root', async () => {
    const availability = await kernelPlugin.available(new Machine({ root }));
    expect(availability.ok).toBe(false);
  });

  it('discovers configuration files and says which facts are missing', async () => {
    await mkdir(join(root, 'etc/modprobe.d'), { recursive: true });
    await writeFile(join(root, 'etc/modules'), 'loop\n');
    await writeFile(join(root, 'etc/modprobe.d/local.conf'), 'options loop max_loop=8\nfrobnicate x\n');
    const machine = new Machine({ root });
    expect(await kernelPlugin.available(machine)).toEqual({ ok: true });
    const found = await kernelPlugin.discover(machine, { managedBusNames: new Map() });
    const config = kernelPlugin.configSchema.parse(found.config);
    const facts = kernelPlugin.factsSchema.parse(found.facts);
    expect(config.commandLine).toBeNull();
    expect(config.files).toEqual({
      '/etc/modprobe.d/local.conf': { content: 'options loop max_loop=8\nfrobnicate x\n' },
      '/etc/modules': { content: 'loop\n' },
    });
    expect(config.modulesLoad).toEqual(['loop']);
    expect(config.modprobe.options).toEqual({ loop: ['max_loop=8'] });
    expect(facts.loadedModules).toBeNull();
    expect(Object.keys(facts.unavailable).sort()).toEqual([
      'commandLine.live',
      'loadedModules',
      'sysctl.live',
    ]);
    expect(facts.commandLine).toEqual({
      configuredIn: null,
      pendingReboot: null,
      live: null,
      bootParameters: null,
      initArguments: null,
      grub: null,
    });
    expect(facts.problems).toEqual([
      {
        path: '/etc/modprobe.d/local.conf',
        line: 2,
        text: 'frobnicate x',
        reason: 'unknown directive frobnicate',
      },
    ]);
  });

  it('redacts secrets in lines it could not parse and records where', async () => {
    await mkdir(join(root, 'etc/modules-load.d'), { recursive: true });
    await writeFile(join(root, 'etc/modules-load.d/cifs.conf'), 'cifs password=hunter2\n');
    const found = await kernelPlugin.discover(new Machine({ root }), { managedBusNames: new Map() });
    const facts = kernelPlugin.factsSchema.parse(found.facts);
    expect(facts.problems).toEqual([
      {
        path: '/etc/modules-load.d/cifs.conf',
        line: 1,
        text: `cifs password=${REDACTED}`,
        reason: `module arguments password=${REDACTED} are not applied; use options in modprobe.d`,
      },
    ]);
    expect(found.config.files).toEqual({
      '/etc/modules-load.d/cifs.conf': { content: `cifs password=${REDACTED}\n` },
    });
    expect(found.redactions).toEqual([
      {
        path: ['config', 'files', '/etc/modules-load.d/cifs.conf', 'content'],
        reason: 'secret-named setting password',
      },
      { path: ['facts', 'problems', 0, 'text'], reason: 'secret-named setting password' },
      { path: ['facts', 'problems', 0, 'reason'], reason: 'secret-named setting password' },
    ]);
  });
});
