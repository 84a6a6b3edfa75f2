import { describe, expect, it } from 'vitest';
import type { PluginOutcome } from '../engine/discover.js';
import type { BusService, DbusServicesFacts } from '../plugins/dbus-services/schema.js';
import { sealDocument } from '../state/document.js';
import type { MachineState, Section } from '../state/schema.js';
import { discoverReportJson, renderDiscoverReport } from './discover-report.js';

const ESC = String.fromCharCode(27);

function service(overrides: Partial<BusService>): BusService {
  return {
    running: true,
    activatable: false,
    interfaces: {},
    objects: {},
    objectsVisited: 0,
    objectsSkipped: 0,
    truncated: false,
    ...overrides,
  };
}

const managerInterface = { methods: [{ name: 'ListUnits', args: [] }], signals: [], properties: [] };

function dbusFacts(extraUnmanaged = 0): DbusServicesFacts {
  const services: Record<string, BusService> = {
    'com.example.Widget1': service({
      owner: ':1.9',
      interfaces: { 'com.example.Widget1': managerInterface },
    }),
    'org.freedesktop.DBus': service({
      owner: 'org.freedesktop.DBus',
      activatable: true,
      unit: 'dbus.service',
    }),
    'org.freedesktop.PackageKit': service({ running: false, activatable: true, managedBy: 'packages' }),
    'org.freedesktop.PolicyKit1': service({ running: false, activatable: true, recommendedPlugin: 'polkit' }),
    'org.freedesktop.login1': service({
      owner: ':1.2',
      recommendedPlugin: 'login1',
      unit: 'systemd-logind.service',
    }),
    'org.freedesktop.systemd1': service({
      owner: ':1.1',
      managedBy: 'systemd',
      interfaces: { 'org.freedesktop.systemd1.Manager': managerInterface },
      objects: { '/org/freedesktop/systemd1': ['org.freedesktop.systemd1.Manager'] },
      truncated: true,
    }),
  };
  for (let index = 0; index < extraUnmanaged; index++)
    services[`org.example.Extra${index}`] = service({ owner: `:1.${100 + index}` });
  const total = Object.keys(services).length;
  return {
    source: 'dbus',
    services,
    uniqueConnections: 7,
    coverage: {
      total,
      managed: 2,
      unmanaged: total - 2,
      conversionCandidates: 2,
      percent: Math.round((2 / total) * 1000) / 10,
    },
    conversionCandidates: [
      {
        unit: 'cron.service',
        description: 'Regular background program processing daemon',
        difficulty: 'easy',
        opportunity: 'Scheduled jobs via D-Bus',
      },
      {
        unit: 'my-app.service',
        description: 'My App',
        difficulty: 'unknown',
        opportunity: 'Status and reload via D-Bus',
      },
    ],
    notes: [],
  };
}

function machineState(sections: Record<string, Section>): MachineState {
  return sealDocument({
    apiVersion: 'op-dbus/v1',
    kind: 'MachineState',
    metadata: {
      hostname: 'web-01',
      machineId: '0123456789abcdef0123456789abcdef',
      kernelRelease: '6.1.0-18-amd64',
      capturedAt: '2025-03-01T12:00:00.000Z',
      opDbusVersion: '0.1.0',
      source: { busAddress: 'unix:path=/run/dbus/system_bus_socket', root: '/' },
    },
    sections,
    unavailable: [],
    redactions: [],
  });
}

const systemdSection: Section = {
  config: {
    defaultTarget: 'graphical.target',
    unitFiles: { 'cron.service': 'enabled', 'nginx.service': 'disabled', 'ssh.service': 'enabled' },
    activeState: { 'cron.service': 'active', 'nginx.service': 'inactive' },
    files: {},
  },
  facts: { source: 'dbus', units: {} },
};

const outcomes: PluginOutcome[] = [
  { plugin: 'systemd', status: 'discovered', ms: 40 },
  { plugin: 'network', status: 'unavailable', reason: 'networkd is not running', ms: 3 },
  { plugin: 'packages', status: 'failed', reason: 'PackageKit timed out', ms: 5000 },
  { plugin: 'dbus-services', status: 'discovered', ms: 120 },
];

describe('renderDiscoverReport', () => {
  const state = machineState({
    systemd: systemdSection,
    'dbus-services': { config: {}, facts: dbusFacts() },
  });
  const text = renderDiscoverReport(state, outcomes, { color: false });

  it('starts with the machine: hostname, kernel and capture source', () => {
    expect(text).toMatch(/^🖥 {2}MACHINE web-01\n/);
    expect(text).toContain('Kernel:    6.1.0-18-amd64');
    expect(text).toContain('Source:    bus unix:path=/run/dbus/system_bus_socket, root /');
  });

  it('summarises totals and coverage with one decimal', () => {
    expect(text).toContain('Total D-Bus services:     6');
    expect(text).toMatch(/✓ Managed services: +2/);
    expect(text).toMatch(/⊗ Unmanaged services: +4/);
    expect(text).toMatch(/🔄 Conversion candidates: 2/);
    expect(text).toMatch(/Coverage: +33\.3%/);
  });

  it('lists managed names with their plugin and unmanaged names with a recommendation first', () => {
    expect(text).toMatch(/✓ org\.freedesktop\.PackageKit +activatable +→ plugin packages/);
    expect(text).toMatch(/✓ org\.freedesktop\.systemd1 +running +→ plugin systemd/);
    const unmanaged = text.slice(text.indexOf('UNMANAGED'), text.indexOf('NON-D-BUS'));
    expect(unmanaged.indexOf('org.freedesktop.PolicyKit1')).toBeLessThan(
      unmanaged.indexOf('com.example.Widget1'),
    );
    expect(unmanaged).toMatch(/⊗ org\.freedesktop\.login1 +running +→ recommended plugin: login1/);
    expect(unmanaged).toMatch(/⊗ com\.example\.Widget1 +running +no plugin yet \(1 interfaces\)/);
    expect(unmanaged).toMatch(/⊗ org\.freedesktop\.DBus +running +no plugin yet/);
    expect(text).not.toContain('plugin dbus-services');
  });

  it('shows conversion candidates with their difficulty and opportunity', () => {
    expect(text).toContain('🟢 cron.service  Regular background program processing daemon');
    expect(text).toContain('Opportunity: Scheduled jobs via D-Bus');
    expect(text).toContain('⚪ my-app.service');
  });

  it('gives one line per plugin: a summary, or why it is missing', () => {
    expect(text).toMatch(
      /✓ systemd +3 unit files \(2 enabled, 0 masked\), 1 of 2 .* active, default graphical\.target, 0 admin unit files, from the manager \(40 ms\)/,
    );
    expect(text).toMatch(/– network +unavailable: networkd is not running \(3 ms\)/);
    expect(text).toMatch(/✗ packages +failed: PackageKit timed out \(5000 ms\)/);
    expect(text).toMatch(
      /✓ dbus-services +6 bus names \(4 running\), 1 objects, 2 interfaces, 1 sampled, coverage 33\.3%/,
    );
  });

  it('uses no colour codes unless asked, and colours when asked', () => {
    expect(text).not.toContain(ESC);
    expect(renderDiscoverReport(state, outcomes, { color: true })).toContain(ESC);
  });

  it('caps long lists and points to --json', () => {
    const crowded = machineState({ 'dbus-services': { config: {}, facts: dbusFacts(30) } });
    const report = renderDiscoverReport(crowded, outcomes, { color: false });
    expect(report).toContain('… and 14 more (op-dbus discover --json lists them all)');
  });

  it('explains why there is no coverage when the dbus-services section is absent', () => {
    const withoutDbus = machineState({ systemd: systemdSection });
    const unavailable: PluginOutcome[] = [
      { plugin: 'dbus-services', status: 'unavailable', reason: 'cannot connect to D-Bus', ms: 1 },
    ];
    expect(renderDiscoverReport(withoutDbus, unavailable, { color: false })).toContain(
      'D-Bus coverage unavailable: dbus-services unavailable: cannot connect to D-Bus',
    );
    const notRun = renderDiscoverReport(withoutDbus, [{ plugin: 'systemd', status: 'discovered', ms: 4 }], {
      color: false,
    });
    expect(notRun).toContain('the dbus-services plugin was not run (--plugin left it out)');
    expect(notRun).not.toContain('MANAGED D-BUS SERVICES');
  });
});

describe('discoverReportJson', () => {
  it('carries the same content as structured data', () => {
    const state = machineState({
      systemd: systemdSection,
      'dbus-services': { config: {}, facts: dbusFacts() },
    });
    const report = discoverReportJson(state, outcomes);
    expect(report.machine).toMatchObject({ hostname: 'web-01', kernelRelease: '6.1.0-18-amd64', root: '/' });
    if (!report.dbus.available) throw new Error('expected D-Bus coverage');
    expect(report.dbus.coverage.percent).toBe(33.3);
    expect(report.dbus.managed.map((item) => [item.plugin, item.name])).toEqual([
      ['packages', 'org.freedesktop.PackageKit'],
      ['systemd', 'org.freedesktop.systemd1'],
    ]);
    expect(report.dbus.unmanaged.map((item) => [item.name, item.recommendedPlugin])).toEqual([
      ['org.freedesktop.PolicyKit1', 'polkit'],
      ['org.freedesktop.login1', 'login1'],
      ['com.example.Widget1', null],
      ['org.freedesktop.DBus', null],
    ]);
    expect(report.plugins[1]).toEqual({
      plugin: 'network',
      status: 'unavailable',
      reason: 'networkd is not running',
      ms: 3,
    });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('reports a dbus-services section that does not match its schema instead of crashing', () => {
    const state = machineState({ 'dbus-services': { config: {}, facts: { services: 'nonsense' } } });
    expect(discoverReportJson(state, outcomes).dbus).toEqual({
      available: false,
      reason: 'the dbus-services section does not match its schema',
    });
  });
});
