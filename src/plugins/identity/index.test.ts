import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Machine } from '../../machine/machine.js';
import { identityPlugin } from './index.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-identity-plugin-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('identityPlugin without a bus', () => {
  it('is unavailable with the reason when neither files nor the bus are there', async () => {
    const machine = new Machine({ root, busAddress: 'unix:path=/nonexistent/bus' });
    const availability = await identityPlugin.available(machine);
    expect(availability.ok).toBe(false);
    expect(availability.ok ? '' : availability.reason).toMatch(
      /no identity files .* and cannot connect to D-Bus/,
    );
  });

  it('falls back to files for every part and says why', async () => {
    await mkdir(join(root, 'etc'));
    await writeFile(join(root, 'etc/hostname'), 'db-01\n');
    const machine = new Machine({ root, busAddress: 'unix:path=/nonexistent/bus' });
    expect(await identityPlugin.available(machine)).toEqual({ ok: true });
    const found = await identityPlugin.discover(machine, { managedBusNames: new Map() });
    const facts = identityPlugin.factsSchema.parse(found.facts);
    expect(identityPlugin.configSchema.parse(found.config).hostname.staticHostname).toBe('db-01');
    expect(facts.sources).toEqual({ hostname: 'files', time: 'files', locale: 'files' });
    expect(facts.fallbackReasons.hostname).toMatch(/\/nonexistent\/bus does not exist/);
    expect(Object.keys(facts.fallbackReasons).sort()).toEqual(['hostname', 'locale', 'time']);
    await machine.close();
  });
});
