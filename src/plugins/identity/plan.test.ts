import { describe, expect, it } from 'vitest';
import type { CurrentSection } from '../types.js';
import { planIdentityChanges } from './plan.js';
import type { IdentityConfig, IdentityFacts } from './schema.js';

const CONFIG: IdentityConfig = {
  hostname: {
    staticHostname: 'opdbus-t4',
    prettyHostname: null,
    chassis: null,
    deployment: null,
    location: null,
    iconName: null,
  },
  time: { timezone: 'Etc/UTC', ntp: false, localRtc: false },
  locale: {
    variables: {},
    vconsoleKeymap: null,
    vconsoleKeymapToggle: null,
    x11Layout: null,
    x11Model: null,
    x11Variant: null,
    x11Options: null,
  },
};

const FACTS: IdentityFacts = {
  sources: { hostname: 'dbus', time: 'dbus', locale: 'dbus' },
  fallbackReasons: {},
  hostname: {
    transientHostname: 'opdbus-t4',
    operatingSystem: 'Debian GNU/Linux 12 (bookworm)',
    kernelName: 'Linux',
    kernelRelease: '6.1.0',
    kernelVersion: '#1 SMP',
    hardwareVendor: null,
    hardwareModel: null,
    detectedChassis: 'container',
    detectedIconName: 'computer-container',
  },
  time: { ntpSynchronized: false, canNtp: true },
  // No locale file: localed reports what it inherited.
  locale: { reportedVariables: { LANG: 'C.UTF-8' } },
  problems: [],
};

function current(
  edit?: (config: IdentityConfig, facts: IdentityFacts) => void,
): CurrentSection<IdentityConfig, IdentityFacts> {
  const section = { config: structuredClone(CONFIG), facts: structuredClone(FACTS) };
  edit?.(section.config, section.facts);
  return section;
}

function desired(edit: (config: IdentityConfig) => void): IdentityConfig {
  const config = structuredClone(CONFIG);
  edit(config);
  return config;
}

describe('planIdentityChanges', () => {
  it('plans nothing for equal configs, whatever the facts', () => {
    expect(planIdentityChanges(current(), structuredClone(CONFIG))).toEqual({ changes: [], unresolved: [] });
    const withFile = current((config, facts) => {
      // A hand-written file may name a variable equal to LANG; equal configs still plan nothing.
      config.locale.variables = { LANG: 'C', LC_TIME: 'C' };
      facts.locale.reportedVariables = { LANG: 'C', LC_TIME: 'C' };
      facts.sources.locale = 'files';
    });
    expect(planIdentityChanges(withFile, structuredClone(withFile.config))).toEqual({
      changes: [],
      unresolved: [],
    });
  });

  it('gives one settings change per differing setting, in a fixed order', () => {
    const plan = planIdentityChanges(
      current(),
      desired((config) => {
        config.hostname = {
          staticHostname: 'web-02',
          prettyHostname: 'Web 02',
          chassis: 'vm',
          deployment: 'staging',
          location: 'rack 1',
          iconName: 'computer-vm',
        };
        config.time = { timezone: 'Europe/Warsaw', ntp: true, localRtc: true };
        config.locale = {
          variables: { LANG: 'C.UTF-8', LC_TIME: 'C' },
          vconsoleKeymap: 'de',
          vconsoleKeymapToggle: null,
          x11Layout: 'de',
          x11Model: 'pc105',
          x11Variant: null,
          x11Options: null,
        };
      }),
    );
    expect(plan.unresolved).toEqual([]);
    expect(plan.changes.map((change) => [change.id, change.action, change.phase, change.risk])).toEqual([
      ['identity:static-hostname:hostname.staticHostname', 'update', 'settings', 'medium'],
      ['identity:pretty-hostname:hostname.prettyHostname', 'create', 'settings', 'low'],
      ['identity:chassis:hostname.chassis', 'create', 'settings', 'low'],
      ['identity:deployment:hostname.deployment', 'create', 'settings', 'low'],
      ['identity:location:hostname.location', 'create', 'settings', 'low'],
      ['identity:icon-name:hostname.iconName', 'create', 'settings', 'low'],
      ['identity:timezone:time.timezone', 'update', 'settings', 'low'],
      ['identity:ntp:time.ntp', 'update', 'settings', 'low'],
      ['identity:local-rtc:time.localRtc', 'update', 'settings', 'low'],
      ['identity:locale:locale.variables', 'create', 'settings', 'low'],
      ['identity:vconsole-keyboard:locale.vconsole-keyboard', 'create', 'settings', 'low'],
      ['identity:x11-keyboard:locale.x11-keyboard', 'create', 'settings', 'low'],
    ]);
    const [hostname] = plan.changes;
    expect(hostname).toMatchObject({
      description: 'set the static hostname to "web-02"',
      reason: 'it is "opdbus-t4" here and "web-02" in the desired state',
      riskNote: expect.stringMatching(/TLS certificates/),
      before: 'opdbus-t4',
      after: 'web-02',
    });
    const byKind = (kind: string) => plan.changes.find((change) => change.kind === kind);
    expect(byKind('ntp')?.description).toBe('turn network time synchronisation on');
    expect(byKind('locale')).toMatchObject({ before: {}, after: { LANG: 'C.UTF-8', LC_TIME: 'C' } });
    expect(byKind('x11-keyboard')).toMatchObject({
      description: 'set the X11 keyboard to x11Layout=de x11Model=pc105',
      after: { x11Layout: 'de', x11Model: 'pc105', x11Variant: null, x11Options: null },
    });
  });

  it('unsets what the desired state leaves unset, when the service can', () => {
    const plan = planIdentityChanges(
      current((config) => {
        config.hostname.prettyHostname = 'Old name';
        config.locale.x11Layout = 'us';
      }),
      structuredClone(CONFIG),
    );
    expect(
      plan.changes.map((change) => [change.kind, change.action, change.description, change.after]),
    ).toEqual([
      ['pretty-hostname', 'delete', 'unset the pretty hostname', undefined],
      [
        'x11-keyboard',
        'delete',
        'unset the X11 keyboard',
        { x11Layout: null, x11Model: null, x11Variant: null, x11Options: null },
      ],
    ]);
  });

  it('leaves settings the services cannot unset, saying so without blocking', () => {
    const plan = planIdentityChanges(
      current(),
      desired((config) => {
        config.time = { timezone: null, ntp: null, localRtc: null };
      }),
    );
    expect(plan.changes).toEqual([]);
    expect(plan.unresolved.map((item) => [item.path, item.blocking, item.actual])).toEqual([
      ['$.sections.identity.config.time.timezone', false, 'Etc/UTC'],
      ['$.sections.identity.config.time.ntp', false, false],
      ['$.sections.identity.config.time.localRtc', false, false],
    ]);
    expect(plan.unresolved[0]?.description).toMatch(/timedate1 cannot unset the time zone/);
  });

  it('does not plan NTP on a machine without an NTP service', () => {
    const plan = planIdentityChanges(
      current((_config, facts) => {
        facts.time.canNtp = false;
      }),
      desired((config) => {
        config.time.ntp = true;
      }),
    );
    expect(plan.changes).toEqual([]);
    expect(plan.unresolved).toEqual([
      expect.objectContaining({
        path: '$.sections.identity.config.time.ntp',
        blocking: false,
        expected: true,
      }),
    ]);
  });

  it('plans what localed will store and reports what it will not', () => {
    const unchangedDefault = planIdentityChanges(
      current(),
      desired((config) => {
        config.locale.variables = { LANG: 'C.UTF-8' };
      }),
    );
    expect(unchangedDefault.changes).toEqual([]);
    expect(unchangedDefault.unresolved).toEqual([
      expect.objectContaining({
        path: '$.sections.identity.config.locale.variables',
        blocking: false,
        expected: { LANG: 'C.UTF-8' },
        actual: {},
      }),
    ]);
    const redundant = planIdentityChanges(
      current(),
      desired((config) => {
        config.locale.variables = { LANG: 'C', LC_TIME: 'C' };
      }),
    );
    expect(redundant.changes.map((change) => change.after)).toEqual([{ LANG: 'C' }]);
    expect(redundant.unresolved.map((item) => item.description)).toEqual([
      expect.stringMatching(/drops variables equal to LANG \(LC_TIME\)/),
    ]);
  });

  it('blocks changes to a part whose service could not be asked', () => {
    const plan = planIdentityChanges(
      current((_config, facts) => {
        facts.sources.hostname = 'files';
        facts.fallbackReasons.hostname = 'cannot connect to D-Bus';
      }),
      desired((config) => {
        config.hostname.location = 'rack 2';
        config.time.timezone = 'UTC';
      }),
    );
    expect(plan.changes.map((change) => change.kind)).toEqual(['location', 'timezone']);
    expect(plan.unresolved).toEqual([
      {
        plugin: 'identity',
        path: '$.sections.identity.config.hostname',
        description:
          'org.freedesktop.hostname1 could not be asked (cannot connect to D-Bus); op-dbus changes these settings only through it',
        blocking: true,
      },
    ]);
  });
});
