import { describe, expect, it } from 'vitest';
import { adminRunStates } from './admin-run-state.js';
import type { LoadedUnit } from './manager.js';
import type { UnitFileState } from './unit-file-state.js';

const loaded = (name: string, active: string): LoadedUnit => ({
  name,
  description: name,
  load: 'loaded',
  active,
  sub: active === 'active' ? 'running' : 'dead',
});

describe('adminRunStates', () => {
  it('keeps only units whose unit-file state is an admin choice', () => {
    const unitFiles = new Map<string, UnitFileState>([
      ['cron.service', 'enabled'],
      ['console-getty.service', 'enabled-runtime'],
      ['nginx.service', 'disabled'],
      ['app.service', 'linked'],
      ['tmp-app.service', 'linked-runtime'],
      // Run because something pulls them in or activates them: facts only.
      ['systemd-hostnamed.service', 'static'],
      ['uuidd.service', 'indirect'],
      ['fstab-mount.mount', 'generated'],
      ['run-u1.service', 'transient'],
      ['dbus-org.freedesktop.timesync1.service', 'alias'],
      ['old.service', 'masked'],
      ['gone.service', 'masked-runtime'],
      ['broken.service', 'bad'],
    ]);
    const units = [
      loaded('cron.service', 'active'),
      loaded('console-getty.service', 'active'),
      loaded('nginx.service', 'activating'),
      loaded('app.service', 'failed'),
      loaded('systemd-hostnamed.service', 'active'),
      loaded('run-u1.service', 'active'),
    ];
    expect(Object.fromEntries(adminRunStates(unitFiles, units))).toEqual({
      'cron.service': 'active',
      'console-getty.service': 'active',
      'nginx.service': 'active',
      'app.service': 'inactive',
      'tmp-app.service': 'inactive',
    });
  });

  it('gives the same answer whether or not the manager keeps an inactive unit loaded', () => {
    const unitFiles = new Map<string, UnitFileState>([['nginx.service', 'disabled']]);
    expect(adminRunStates(unitFiles, [])).toEqual([['nginx.service', 'inactive']]);
    expect(adminRunStates(unitFiles, [loaded('nginx.service', 'inactive')])).toEqual([
      ['nginx.service', 'inactive'],
    ]);
  });

  it('leaves out templates, which never run, and instances that are no unit file of their own', () => {
    const unitFiles = new Map<string, UnitFileState>([
      ['getty@.service', 'enabled'],
      ['app@blue.service', 'enabled'],
    ]);
    const units = [loaded('getty@tty1.service', 'active'), loaded('app@blue.service', 'deactivating')];
    expect(adminRunStates(unitFiles, units)).toEqual([['app@blue.service', 'inactive']]);
  });
});
