import { describe, expect, it } from 'vitest';
import { type Change, PHASES, type PluginPlan } from '../../engine/change.js';
import { planSystemdChanges, unitOfAdminFile } from './plan.js';
import type { SystemdConfig, SystemdFacts } from './schema.js';

const ETC = '/etc/systemd/system';

function facts(overrides: Partial<SystemdFacts> = {}): SystemdFacts {
  return {
    source: 'dbus',
    unitFileStatesFrom: 'unit-directories',
    unclassifiedUnitFiles: {},
    ignoredFiles: {},
    problems: [],
    version: '257',
    systemState: 'running',
    virtualization: null,
    architecture: 'x86-64',
    units: {},
    ...overrides,
  };
}

function config(overrides: Partial<SystemdConfig> = {}): SystemdConfig {
  return { defaultTarget: 'multi-user.target', unitFiles: {}, activeState: {}, files: {}, ...overrides };
}

function plan(current: SystemdConfig, desired: SystemdConfig, currentFacts = facts()): PluginPlan {
  return planSystemdChanges({ config: current, facts: currentFacts }, desired);
}

/** `phase id` of each change in the order the engine runs them (by phase, stable within one). */
function outline(result: PluginPlan): string[] {
  return [...result.changes]
    .sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase))
    .map((change) => `${change.phase} ${change.id}`);
}

function changeOf(result: PluginPlan, id: string): Change {
  const change = result.changes.find((candidate) => candidate.id === id);
  if (!change) throw new Error(`no change ${id} in ${JSON.stringify(outline(result))}`);
  return change;
}

const RELOAD = 'reload systemd:daemon-reload:manager';
const loaded = (active: string) => ({ load: 'loaded', active, sub: 'running', description: 'x' });

const app = config({
  unitFiles: { 'app.service': 'enabled', 'dbus.service': 'static', 'timers.target': 'static' },
  activeState: { 'app.service': 'active' },
  files: {
    [`${ETC}/app.service`]: { content: '[Service]\nExecStart=/usr/bin/app\n' },
    [`${ETC}/app.service.d/override.conf`]: { content: '[Service]\nEnvironment=TOKEN=[REDACTED]\n' },
    [`${ETC}/linked.service`]: { linkTo: '/opt/app/linked.service' },
  },
});

describe('planSystemdChanges', () => {
  it('plans nothing when the configs are equal, redacted content and vendor states included', () => {
    expect(plan(app, structuredClone(app))).toEqual({ changes: [], unresolved: [] });
    expect(plan(app, structuredClone(app), facts({ source: 'files' }))).toEqual({
      changes: [],
      unresolved: [],
    });
  });

  it('creates a new unit file, enables and starts it, with one daemon-reload in between', () => {
    const desired = config({
      unitFiles: { 'app.service': 'enabled' },
      activeState: { 'app.service': 'active' },
      files: { [`${ETC}/app.service`]: { content: '[Service]\nExecStart=/usr/bin/app\n' } },
    });
    const result = plan(config(), desired);
    expect(result.unresolved).toEqual([]);
    expect(outline(result)).toEqual([
      `files systemd:unit-file:${ETC}/app.service`,
      'enablement systemd:enablement:app.service',
      RELOAD,
      'runtime systemd:run-state:app.service',
    ]);
    expect(changeOf(result, `systemd:unit-file:${ETC}/app.service`)).toMatchObject({
      kind: 'unit-file',
      action: 'create',
      target: `${ETC}/app.service`,
      risk: 'low',
      after: { content: '[Service]\nExecStart=/usr/bin/app\n' },
    });
    expect(changeOf(result, `systemd:unit-file:${ETC}/app.service`).before).toBeUndefined();
    const enable = changeOf(result, 'systemd:enablement:app.service');
    expect(enable).toMatchObject({ description: 'enable app.service', after: 'enabled', risk: 'low' });
    expect(enable.before).toBeUndefined();
    expect(enable.reason).toMatch(/not installed yet/);
    expect(changeOf(result, 'systemd:run-state:app.service')).toMatchObject({
      kind: 'run-state',
      description: 'start app.service',
      risk: 'low',
      before: 'inactive',
      after: 'active',
      undoLast: true,
    });
    expect(changeOf(result, 'systemd:daemon-reload:manager')).toMatchObject({
      kind: 'daemon-reload',
      target: 'manager',
      undoLast: true,
    });
  });

  it('replaces a changed unit file and restarts the running unit after the reload', () => {
    const desired = structuredClone(app);
    desired.files[`${ETC}/app.service`] = { content: '[Service]\nExecStart=/usr/bin/app --new\n' };
    const result = plan(app, desired);
    expect(outline(result)).toEqual([
      `files systemd:unit-file:${ETC}/app.service`,
      RELOAD,
      'runtime systemd:run-state:app.service',
    ]);
    expect(changeOf(result, `systemd:unit-file:${ETC}/app.service`)).toMatchObject({
      action: 'update',
      before: { content: '[Service]\nExecStart=/usr/bin/app\n' },
      after: { content: '[Service]\nExecStart=/usr/bin/app --new\n' },
    });
    expect(changeOf(result, 'systemd:run-state:app.service')).toMatchObject({
      description: 'restart app.service',
      risk: 'medium',
      before: 'active',
      after: 'active',
      undoLast: true,
    });
  });

  it('does not restart a unit whose file changes while it is meant to be stopped', () => {
    const current = config({
      unitFiles: { 'app.service': 'disabled' },
      activeState: { 'app.service': 'inactive' },
      files: { [`${ETC}/app.service`]: { content: 'a\n' } },
    });
    const desired = { ...current, files: { [`${ETC}/app.service`]: { content: 'b\n' } } };
    expect(outline(plan(current, desired))).toEqual([`files systemd:unit-file:${ETC}/app.service`, RELOAD]);
  });

  it('restarts a running unit when one of its drop-ins is created, changed or removed', () => {
    const base = config({
      unitFiles: { 'web.service': 'enabled' },
      activeState: { 'web.service': 'active' },
    });
    const withDropIn = { ...base, files: { [`${ETC}/web.service.d/limits.conf`]: { content: 'a\n' } } };
    const changed = { ...base, files: { [`${ETC}/web.service.d/limits.conf`]: { content: 'b\n' } } };
    for (const [current, desired, action] of [
      [base, withDropIn, 'create'],
      [withDropIn, changed, 'update'],
      [withDropIn, base, 'delete'],
    ] as const) {
      const result = plan(current, desired);
      expect(outline(result)).toEqual([
        `files systemd:unit-file:${ETC}/web.service.d/limits.conf`,
        RELOAD,
        'runtime systemd:run-state:web.service',
      ]);
      expect(result.changes[0]?.action).toBe(action);
      expect(changeOf(result, 'systemd:run-state:web.service').description).toBe('restart web.service');
    }
  });

  it('does not restart anything for type-wide or prefix drop-ins, which touch many units', () => {
    const current = config({
      unitFiles: { 'web.service': 'enabled', 'web-api.service': 'enabled' },
      activeState: { 'web.service': 'active', 'web-api.service': 'active' },
    });
    const desired = {
      ...current,
      files: {
        [`${ETC}/service.d/10-all.conf`]: { content: '[Service]\nRestart=on-failure\n' },
        [`${ETC}/web-.service.d/10-web.conf`]: { content: '[Service]\nNice=5\n' },
      },
    };
    expect(outline(plan(current, desired))).toEqual([
      `files systemd:unit-file:${ETC}/service.d/10-all.conf`,
      `files systemd:unit-file:${ETC}/web-.service.d/10-web.conf`,
      RELOAD,
    ]);
  });

  it('links a unit file kept elsewhere, and re-points a link', () => {
    const desired = config({ files: { [`${ETC}/linked.service`]: { linkTo: '/opt/app/linked.service' } } });
    const created = changeOf(plan(config(), desired), `systemd:unit-file:${ETC}/linked.service`);
    expect(created).toMatchObject({ action: 'create', after: { symlink: '/opt/app/linked.service' } });
    expect(created.description).toMatch(/symlink to \/opt\/app\/linked\.service/);

    const moved = config({ files: { [`${ETC}/linked.service`]: { linkTo: '/srv/linked.service' } } });
    const result = plan(desired, moved);
    expect(outline(result)).toEqual([`files systemd:unit-file:${ETC}/linked.service`, RELOAD]);
    expect(result.changes[0]).toMatchObject({
      action: 'update',
      before: { symlink: '/opt/app/linked.service' },
      after: { symlink: '/srv/linked.service' },
    });
  });

  it('stops and disables a unit before its admin unit file is removed', () => {
    const desired = config({ unitFiles: { 'dbus.service': 'static', 'timers.target': 'static' } });
    const result = plan(app, desired);
    expect(result.unresolved).toEqual([]);
    expect(outline(result)).toEqual([
      'retire systemd:retire-run-state:app.service',
      'retire systemd:retire-enablement:app.service',
      `files systemd:unit-file:${ETC}/app.service`,
      `files systemd:unit-file:${ETC}/app.service.d/override.conf`,
      `files systemd:unit-file:${ETC}/linked.service`,
      RELOAD,
    ]);
    expect(changeOf(result, 'systemd:retire-run-state:app.service')).toMatchObject({
      kind: 'run-state',
      description: 'stop app.service',
      before: 'active',
      after: 'inactive',
      undoLast: true,
    });
    expect(changeOf(result, 'systemd:retire-enablement:app.service')).toMatchObject({
      kind: 'enablement',
      description: 'disable app.service',
      before: 'enabled',
      after: 'disabled',
      reason: 'its unit file is removed, and it is enabled',
    });
    expect(changeOf(result, `systemd:unit-file:${ETC}/app.service`)).toMatchObject({
      action: 'delete',
      description: `remove ${ETC}/app.service`,
    });
  });

  it('retires by the run state the manager reports when the config does not track it', () => {
    const current = config({
      unitFiles: { 'helper.service': 'static' },
      files: { [`${ETC}/helper.service`]: { content: 'x\n' } },
    });
    const running = plan(current, config(), facts({ units: { 'helper.service': loaded('active') } }));
    expect(outline(running)).toEqual([
      'retire systemd:retire-run-state:helper.service',
      `files systemd:unit-file:${ETC}/helper.service`,
      RELOAD,
    ]);
    const stopped = plan(current, config(), facts({ units: { 'helper.service': loaded('inactive') } }));
    expect(outline(stopped)).toEqual([`files systemd:unit-file:${ETC}/helper.service`, RELOAD]);
  });

  it('does not retire a unit that keeps a unit file elsewhere, nor one whose drop-in alone goes', () => {
    const current = config({
      unitFiles: { 'ssh.service': 'enabled' },
      activeState: { 'ssh.service': 'active' },
      files: {
        [`${ETC}/ssh.service`]: { content: 'override\n' },
        [`${ETC}/gone.service.d/x.conf`]: { content: 'x\n' },
      },
    });
    const desired = config({
      unitFiles: { 'ssh.service': 'enabled' },
      activeState: { 'ssh.service': 'active' },
    });
    const result = plan(current, desired);
    expect(outline(result)).toEqual([
      `files systemd:unit-file:${ETC}/gone.service.d/x.conf`,
      `files systemd:unit-file:${ETC}/ssh.service`,
      RELOAD,
      'runtime systemd:run-state:ssh.service',
    ]);
    expect(changeOf(result, 'systemd:run-state:ssh.service').description).toBe('restart ssh.service');
  });

  it.each([
    ['disabled', 'enabled', 'enable app.service'],
    ['enabled', 'disabled', 'disable app.service'],
    ['enabled', 'masked', 'mask app.service'],
    ['masked', 'disabled', 'disable app.service'],
    ['masked', 'static', 'unmask app.service'],
    ['disabled', 'enabled-runtime', 'enable app.service until the next boot'],
    ['enabled', 'masked-runtime', 'mask app.service until the next boot'],
  ])('changes enablement from %s to %s: %s', (before, after, description) => {
    const current = config({ unitFiles: { 'app.service': before as 'enabled' } });
    const desired = config({ unitFiles: { 'app.service': after as 'enabled' } });
    const result = plan(current, desired);
    expect(result.unresolved).toEqual([]);
    expect(outline(result)).toEqual(['enablement systemd:enablement:app.service', RELOAD]);
    expect(result.changes[0]).toMatchObject({
      kind: 'enablement',
      action: 'update',
      target: 'app.service',
      description,
      before,
      after,
      risk: 'low',
    });
  });

  it('reloads the manager once however many files and links change', () => {
    const current = config({ unitFiles: { 'a.service': 'disabled', 'b.service': 'enabled' } });
    const desired = config({
      unitFiles: { 'a.service': 'enabled', 'b.service': 'masked' },
      files: { [`${ETC}/c.service`]: { content: 'c\n' }, [`${ETC}/d.service`]: { content: 'd\n' } },
    });
    const result = plan(current, desired);
    expect(result.changes.filter((change) => change.kind === 'daemon-reload')).toHaveLength(1);
    expect(outline(result)).toEqual([
      `files systemd:unit-file:${ETC}/c.service`,
      `files systemd:unit-file:${ETC}/d.service`,
      'enablement systemd:enablement:a.service',
      'enablement systemd:enablement:b.service',
      RELOAD,
    ]);
  });

  it('does not reload the manager for the default target or the run state alone', () => {
    const current = config({
      unitFiles: { 'a.service': 'enabled', 'b.service': 'enabled' },
      activeState: { 'a.service': 'inactive', 'b.service': 'active' },
    });
    const desired = {
      ...current,
      defaultTarget: 'graphical.target',
      activeState: { 'a.service': 'active' as const, 'b.service': 'inactive' as const },
    };
    const result = plan(current, desired);
    expect(outline(result)).toEqual([
      'settings systemd:default-target:default.target',
      'runtime systemd:run-state:a.service',
      'runtime systemd:run-state:b.service',
    ]);
    expect(changeOf(result, 'systemd:default-target:default.target')).toMatchObject({
      kind: 'default-target',
      description: 'boot into graphical.target',
      before: 'multi-user.target',
      after: 'graphical.target',
      risk: 'medium',
      riskNote: expect.stringMatching(/next boot/),
    });
    expect(changeOf(result, 'systemd:run-state:a.service')).toMatchObject({
      description: 'start a.service',
      risk: 'low',
    });
    expect(changeOf(result, 'systemd:run-state:b.service')).toMatchObject({
      description: 'stop b.service',
      risk: 'medium',
      before: 'active',
      after: 'inactive',
      undoLast: true,
    });
  });

  it('sets a default target the machine lacks, and leaves one the desired state lacks', () => {
    const set = plan(config({ defaultTarget: null }), config());
    expect(set.changes).toHaveLength(1);
    expect(set.changes[0]?.reason).toMatch(/unset/);
    expect(set.changes[0]?.before).toBeUndefined();

    const unset = plan(config(), config({ defaultTarget: null }));
    expect(unset.changes).toEqual([]);
    expect(unset.unresolved).toEqual([
      expect.objectContaining({
        path: '$.sections.systemd.config.defaultTarget',
        expected: null,
        actual: 'multi-user.target',
        blocking: false,
      }),
    ]);
  });

  it('takes the current run state from the manager when the config does not track the unit', () => {
    const desired = config({
      unitFiles: { 'app.service': 'enabled' },
      activeState: { 'app.service': 'active' },
    });
    const current = config({ unitFiles: { 'app.service': 'enabled' } });
    expect(plan(current, desired, facts({ units: { 'app.service': loaded('activating') } })).changes).toEqual(
      [],
    );
    expect(outline(plan(current, desired, facts({ units: { 'app.service': loaded('failed') } })))).toEqual([
      'runtime systemd:run-state:app.service',
    ]);
  });

  it('does not start or stop a unit the desired state masks', () => {
    const current = config({
      unitFiles: { 'app.service': 'enabled' },
      activeState: { 'app.service': 'active' },
    });
    const desired = config({
      unitFiles: { 'app.service': 'masked' },
      activeState: { 'app.service': 'inactive' },
    });
    expect(outline(plan(current, desired))).toEqual(['enablement systemd:enablement:app.service', RELOAD]);
  });

  it('refuses to write redacted content, naming the JSON path of the file, and blocks apply', () => {
    const desired = structuredClone(app);
    desired.files[`${ETC}/app.service.d/override.conf`] = {
      content: '[Service]\nEnvironment=TOKEN=[REDACTED]\nNice=5\n',
    };
    const result = plan(app, desired);
    expect(result.changes).toEqual([]);
    expect(result.unresolved).toEqual([
      {
        plugin: 'systemd',
        path: `$.sections.systemd.config.files["${ETC}/app.service.d/override.conf"]`,
        description: expect.stringMatching(/\[REDACTED\]/),
        blocking: true,
      },
    ]);
  });

  it('reports unit-file states that come with packages as non-blocking differences', () => {
    const current = config({ unitFiles: { 'vendor.service': 'disabled', 'alias.service': 'alias' } });
    const desired = config({
      unitFiles: { 'vendor.service': 'static', 'alias.service': 'indirect', 'absent.service': 'static' },
    });
    const result = plan(current, desired);
    expect(result.changes).toEqual([]);
    expect(result.unresolved).toEqual([
      expect.objectContaining({
        path: '$.sections.systemd.config.unitFiles["absent.service"]',
        expected: 'static',
        blocking: false,
      }),
      expect.objectContaining({
        path: '$.sections.systemd.config.unitFiles["alias.service"]',
        expected: 'indirect',
        actual: 'alias',
        blocking: false,
      }),
      expect.objectContaining({
        path: '$.sections.systemd.config.unitFiles["vendor.service"]',
        expected: 'static',
        actual: 'disabled',
        blocking: false,
      }),
    ]);
    expect(result.unresolved[0]).not.toHaveProperty('actual');
  });

  it('expects no enablement for a new unit file that is static or disabled by itself', () => {
    const desired = config({
      unitFiles: { 'helper.service': 'static', 'tool.service': 'disabled' },
      files: { [`${ETC}/helper.service`]: { content: 'h\n' }, [`${ETC}/tool.service`]: { content: 't\n' } },
    });
    const result = plan(config(), desired);
    expect(result.unresolved).toEqual([]);
    expect(outline(result)).toEqual([
      `files systemd:unit-file:${ETC}/helper.service`,
      `files systemd:unit-file:${ETC}/tool.service`,
      RELOAD,
    ]);
  });

  it('reports a desired disabled unit the machine lacks and the plan does not create', () => {
    const result = plan(config(), config({ unitFiles: { 'vendor.service': 'disabled' } }));
    expect(result.changes.length + result.unresolved.length).toBeGreaterThan(0);
  });

  it('reports units only on this machine as non-blocking differences', () => {
    const result = plan(config({ unitFiles: { 'extra.service': 'enabled' } }), config());
    expect(result.changes).toEqual([]);
    expect(result.unresolved).toEqual([
      expect.objectContaining({
        plugin: 'systemd',
        path: '$.sections.systemd.config.unitFiles["extra.service"]',
        actual: 'enabled',
        blocking: false,
      }),
    ]);
  });

  it('blocks a plan with changes when the service manager could not be asked', () => {
    const noManager = facts({ source: 'files', busUnavailableReason: 'connect ENOENT /run/dbus' });
    const result = plan(config({ defaultTarget: null }), config(), noManager);
    expect(result.changes).toHaveLength(1);
    expect(result.unresolved).toEqual([
      {
        plugin: 'systemd',
        path: '$.sections.systemd',
        description: expect.stringContaining('connect ENOENT /run/dbus'),
        blocking: true,
      },
    ]);
  });

  it('rates changes to critical units high, with a note saying why, but not their start', () => {
    const current = config({
      unitFiles: {
        'ssh.service': 'enabled',
        'dbus.service': 'static',
        'systemd-networkd.service': 'enabled',
      },
      activeState: { 'ssh.service': 'active', 'systemd-networkd.service': 'inactive' },
      files: { [`${ETC}/ssh.service`]: { content: 'a\n' } },
    });
    const desired = {
      ...current,
      activeState: { 'ssh.service': 'active' as const, 'systemd-networkd.service': 'active' as const },
      files: {
        [`${ETC}/ssh.service`]: { content: 'b\n' },
        [`${ETC}/dbus.service.d/x.conf`]: { content: 'x\n' },
      },
    };
    const result = plan(current, desired);
    expect(changeOf(result, `systemd:unit-file:${ETC}/ssh.service`)).toMatchObject({
      risk: 'high',
      riskNote: expect.stringMatching(/^ssh\.service is remote access.*takes effect on restart$/),
    });
    expect(changeOf(result, `systemd:unit-file:${ETC}/dbus.service.d/x.conf`)).toMatchObject({
      risk: 'high',
      riskNote: expect.stringMatching(/^dbus\.service is the system bus/),
    });
    expect(changeOf(result, 'systemd:run-state:ssh.service')).toMatchObject({
      description: 'restart ssh.service',
      risk: 'high',
      riskNote: expect.stringMatching(/^ssh\.service is remote access/),
    });
    const start = changeOf(result, 'systemd:run-state:systemd-networkd.service');
    expect(start).toMatchObject({ description: 'start systemd-networkd.service', risk: 'low' });
    expect(start).not.toHaveProperty('riskNote');

    const stop = plan(desired, {
      ...desired,
      activeState: { ...desired.activeState, 'ssh.service': 'inactive' },
    });
    expect(changeOf(stop, 'systemd:run-state:ssh.service')).toMatchObject({ risk: 'high' });
  });

  it('gives the same plan whatever order the maps were built in', () => {
    const desired = config({
      unitFiles: { 'b.service': 'enabled', 'a.service': 'enabled' },
      activeState: { 'b.service': 'active', 'a.service': 'active' },
      files: { [`${ETC}/b.service`]: { content: 'b\n' }, [`${ETC}/a.service`]: { content: 'a\n' } },
    });
    const reordered = config({
      unitFiles: { 'a.service': 'enabled', 'b.service': 'enabled' },
      activeState: { 'a.service': 'active', 'b.service': 'active' },
      files: { [`${ETC}/a.service`]: { content: 'a\n' }, [`${ETC}/b.service`]: { content: 'b\n' } },
    });
    expect(plan(config(), desired)).toEqual(plan(config(), reordered));
    expect(JSON.stringify(plan(config(), desired))).toBe(JSON.stringify(plan(config(), reordered)));
  });

  it('gives every change a unique id', () => {
    const result = plan(app, config({ defaultTarget: 'graphical.target' }));
    const ids = result.changes.map((change) => change.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('unitOfAdminFile', () => {
  it('names the unit of a unit file or of its own drop-in', () => {
    expect(unitOfAdminFile(`${ETC}/app.service`)).toBe('app.service');
    expect(unitOfAdminFile(`${ETC}/app.service.d/override.conf`)).toBe('app.service');
    expect(unitOfAdminFile(`${ETC}/getty@tty1.service.d/x.conf`)).toBe('getty@tty1.service');
  });

  it('names no unit for type-wide and prefix drop-ins', () => {
    expect(unitOfAdminFile(`${ETC}/service.d/10-all.conf`)).toBeUndefined();
    expect(unitOfAdminFile(`${ETC}/web-.service.d/10-web.conf`)).toBeUndefined();
  });
});

describe('transient units', () => {
  it('are never planned or reported: a login session on either side is not drift', () => {
    const result = plan(
      config({ unitFiles: { 'session-3.scope': 'transient', 'run-u1.service': 'transient' } }),
      config({ unitFiles: { 'session-9.scope': 'transient' } }),
    );
    expect(result).toEqual({ changes: [], unresolved: [] });
  });
});
