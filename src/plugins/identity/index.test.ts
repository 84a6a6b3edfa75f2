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

  it('redacts secrets in the unusable lines it reports, and records the redaction', async () => {
    await mkdir(join(root, 'etc'));
    await writeFile(join(root, 'etc/machine-info'), 'CHASSIS=vm\nDB_PASSWORD="hunter2-unterminated\n');
    const machine = new Machine({ root, busAddress: 'unix:path=/nonexistent/bus' });
    const found = await identityPlugin.discover(machine, { managedBusNames: new Map() });
    expect(JSON.stringify(found)).not.toContain('hunter2');
    expect(found.facts.problems).toEqual([
      {
        path: '/etc/machine-info',
        line: 2,
        text: 'DB_PASSWORD=[REDACTED]',
        reason: 'unterminated double quote',
      },
    ]);
    expect(found.redactions).toEqual([
      { path: ['facts', 'problems', 0, 'text'], reason: 'secret-named setting DB_PASSWORD' },
    ]);
    expect(found.config.hostname.chassis).toBe('vm');
    await machine.close();
  });

  it('reports a file it cannot read as a problem and reads the rest', async () => {
    // A directory where a file should be fails to read even for root, like a file root may not read.
    await mkdir(join(root, 'etc/machine-info'), { recursive: true });
    await writeFile(join(root, 'etc/hostname'), 'db-01\n');
    const machine = new Machine({ root, busAddress: 'unix:path=/nonexistent/bus' });
    const found = await identityPlugin.discover(machine, { managedBusNames: new Map() });
    expect(found.config.hostname.staticHostname).toBe('db-01');
    expect(found.facts.problems).toEqual([
      { path: '/etc/machine-info', line: null, text: null, reason: expect.stringMatching(/EISDIR/) },
    ]);
    await machine.close();
  });
});
