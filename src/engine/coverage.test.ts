import { describe, expect, it } from 'vitest';
import { plugins } from '../plugins/registry.js';
import { computeCoverage, coveragePercent } from './coverage.js';
import { managedBusNames } from './discover.js';

describe('coveragePercent', () => {
  it('rounds to one decimal', () => {
    expect(coveragePercent(8, 23)).toBe(34.8);
    expect(coveragePercent(1, 3)).toBe(33.3);
    expect(coveragePercent(2, 3)).toBe(66.7);
    expect(coveragePercent(5, 5)).toBe(100);
  });
  it('is 0 when there are no services', () => {
    expect(coveragePercent(0, 0)).toBe(0);
  });
});

describe('computeCoverage', () => {
  const managed = new Map([
    ['org.freedesktop.systemd1', 'systemd'],
    ['org.freedesktop.PackageKit', 'packages'],
    ['org.freedesktop.NotOnThisMachine', 'other'],
  ]);
  it('counts managed and unmanaged names; candidates stay out of the percentage', () => {
    const names = [
      'org.freedesktop.DBus',
      'org.freedesktop.systemd1',
      'org.freedesktop.login1',
      'org.freedesktop.PackageKit',
    ];
    expect(computeCoverage(names, managed, 3)).toEqual({
      total: 4,
      managed: 2,
      unmanaged: 2,
      conversionCandidates: 3,
      percent: 50,
    });
  });
  it('counts a name listed twice once', () => {
    expect(computeCoverage(['org.freedesktop.systemd1', 'org.freedesktop.systemd1'], managed, 0)).toEqual({
      total: 1,
      managed: 1,
      unmanaged: 0,
      conversionCandidates: 0,
      percent: 100,
    });
  });
  it('counts the bus itself as unmanaged: reading the bus manages nothing on it', () => {
    expect(computeCoverage(['org.freedesktop.DBus'], managedBusNames(plugins), 0)).toEqual({
      total: 1,
      managed: 0,
      unmanaged: 1,
      conversionCandidates: 0,
      percent: 0,
    });
  });
  it('handles a bus with no names', () => {
    expect(computeCoverage([], managed, 0)).toEqual({
      total: 0,
      managed: 0,
      unmanaged: 0,
      conversionCandidates: 0,
      percent: 0,
    });
  });
});
