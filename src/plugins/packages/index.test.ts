import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DbusConnection } from '../../dbus/connection.js';
import { Machine } from '../../machine/machine.js';
import { packagesPlugin } from './index.js';

const context = { managedBusNames: new Map<string, string>() };
let root: string;

/** A machine whose bus offers an activatable PackageKit that never answers CreateTransaction. */
function machineWithHungPackageKit(timeoutMs: number): Machine {
  const machine = new Machine({ root, timeoutMs, busAddress: 'unix:path=/nonexistent' });
  const bus = {
    listNames: async () => [],
    listActivatableNames: async () => ['org.freedesktop.PackageKit'],
    callOne: () => new Promise(() => {}),
  } as unknown as DbusConnection;
  vi.spyOn(machine, 'bus').mockResolvedValue(bus);
  vi.spyOn(machine, 'busStatus').mockResolvedValue({ ok: true });
  return machine;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-packages-plugin-'));
  await mkdir(join(root, 'var/lib/dpkg'), { recursive: true });
  await writeFile(
    join(root, 'var/lib/dpkg/status'),
    'Package: dpkg\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.21.22\n',
  );
});

afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

describe('packagesPlugin when PackageKit hangs', () => {
  it('gives PackageKit at most the D-Bus timeout, then reads the dpkg database and says why', async () => {
    const found = await packagesPlugin.discover(machineWithHungPackageKit(50), context);
    expect(found.facts.source).toBe('dpkg');
    expect(found.facts.fallbackReason).toBe('PackageKit failed: no answer within 50 ms');
    expect(Object.keys(found.config.packages)).toEqual(['dpkg']);
  });

  it('gives PackageKit at most half of what is left of the time box, so the fallback still fits in it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const boxed = { ...context, deadline: Date.now() + 4000 };
    const discovering = packagesPlugin.discover(machineWithHungPackageKit(600_000), boxed);
    await vi.advanceTimersByTimeAsync(2000);
    const found = await discovering;
    expect(found.facts.fallbackReason).toBe('PackageKit failed: no answer within 2000 ms');
  });
});
