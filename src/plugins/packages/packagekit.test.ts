import { describe, expect, it } from 'vitest';
import type { DbusConnection, SignalEvent, SignalMatch } from '../../dbus/connection.js';
import { listInstalledWithPackageKit, packageKitUnavailableReason } from './packagekit.js';

const TRANSACTION = '/3_abcdefgh';
const IFACE = 'org.freedesktop.PackageKit.Transaction';

type Emit = (member: string, body: unknown[]) => void;

/** A bus where CreateTransaction succeeds and GetPackages replays `script` as transaction signals. */
function fakeBus(script: (emit: Emit) => void, names: { running?: string[]; activatable?: string[] } = {}) {
  const log: string[] = [];
  let handler: ((event: SignalEvent) => void) | undefined;
  const bus = {
    listNames: async () => names.running ?? [],
    listActivatableNames: async () => names.activatable ?? [],
    callOne: async (_service: string, _path: string, _iface: string, member: string) => {
      log.push(member);
      return TRANSACTION;
    },
    call: async (
      _service: string,
      path: string,
      _iface: string,
      member: string,
      options?: { args?: unknown[] },
    ) => {
      log.push(`${member}(${options?.args?.join(',')}) on ${path}`);
      const emit: Emit = (signal, body) =>
        handler?.({ sender: ':1.9', path, iface: IFACE, member: signal, body });
      setTimeout(() => script(emit), 1);
      return [];
    },
    subscribe: async (match: SignalMatch, onSignal: (event: SignalEvent) => void) => {
      log.push(`subscribe ${match.path}${match.iface ? ` ${match.iface}` : ''}`);
      handler = onSignal;
      return async () => {
        log.push('unsubscribe');
        handler = undefined;
      };
    },
  };
  return { bus: bus as unknown as DbusConnection, log };
}

describe('listInstalledWithPackageKit', () => {
  it('subscribes before GetPackages(installed) and gathers Package and Packages signals until Finished', async () => {
    const { bus, log } = fakeBus((emit) => {
      emit('Package', [1, 'bash;5.2.15-2+b2;amd64;manual:debian-bookworm-main', 'GNU Bourne Again SHell']);
      emit('Packages', [[[1, 'libc6;2.36-9+deb12u4;i386;auto:debian-bookworm-main', 'GNU C Library']]]);
      emit('Finished', [1, 312]);
    });
    const packages = await listInstalledWithPackageKit(bus, 1000);
    expect(packages).toEqual([
      { name: 'bash', version: '5.2.15-2+b2', architecture: 'amd64', data: 'manual:debian-bookworm-main' },
      { name: 'libc6', version: '2.36-9+deb12u4', architecture: 'i386', data: 'auto:debian-bookworm-main' },
    ]);
    expect(log).toEqual([
      'CreateTransaction',
      `subscribe ${TRANSACTION}`,
      `GetPackages(4) on ${TRANSACTION}`,
      'unsubscribe',
    ]);
  });

  it('rejects with the error PackageKit reported when the transaction fails', async () => {
    const { bus, log } = fakeBus((emit) => {
      emit('ErrorCode', [26, 'Cannot lock the cache']);
      emit('Finished', [2, 5]);
    });
    await expect(listInstalledWithPackageKit(bus, 1000)).rejects.toThrow(
      'PackageKit GetPackages finished with exit failed (cannot-get-lock: Cannot lock the cache)',
    );
    expect(log.at(-1)).toBe('unsubscribe');
  });

  it('rejects a malformed package id rather than guessing', async () => {
    const { bus } = fakeBus((emit) => {
      emit('Package', [1, 'not-a-package-id', '']);
      emit('Finished', [1, 1]);
    });
    await expect(listInstalledWithPackageKit(bus, 1000)).rejects.toThrow(
      /malformed package id: "not-a-package-id"/,
    );
  });

  it('gives up when Finished does not come within the budget', async () => {
    const { bus, log } = fakeBus(() => {});
    await expect(listInstalledWithPackageKit(bus, 50)).rejects.toThrow(/did not finish within/);
    expect(log.at(-1)).toBe('unsubscribe');
  });
});

describe('packageKitUnavailableReason', () => {
  it('accepts a running or an activatable PackageKit', async () => {
    const running = fakeBus(() => {}, { running: ['org.freedesktop.PackageKit'] }).bus;
    const activatable = fakeBus(() => {}, { activatable: ['org.freedesktop.PackageKit'] }).bus;
    expect(await packageKitUnavailableReason(running)).toBeUndefined();
    expect(await packageKitUnavailableReason(activatable)).toBeUndefined();
  });

  it('says why when the bus knows no PackageKit', async () => {
    expect(await packageKitUnavailableReason(fakeBus(() => {}).bus)).toMatch(
      /neither running nor activatable/,
    );
  });
});
