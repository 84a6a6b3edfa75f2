import { describe, expect, it } from 'vitest';
import { buildPackagesSection, nativeArchitectureOf, packageKey } from './build-section.js';
import type { InstalledPackage } from './parse-dpkg-status.js';

const pkg = (name: string, version: string, architecture: string): InstalledPackage => ({
  name,
  version,
  architecture,
});

const INSTALLED = [
  pkg('zlib1g', '1:1.2.13.dfsg-1', 'amd64'),
  pkg('dpkg', '1.21.22', 'amd64'),
  pkg('libc6', '2.36-9+deb12u4', 'i386'),
  pkg('libc6', '2.36-9+deb12u4', 'amd64'),
  pkg('adduser', '3.134', 'all'),
  pkg('python3', '3.11.2-1+b1', 'amd64'),
];

describe('nativeArchitectureOf', () => {
  it("takes the dpkg package's architecture", () => {
    expect(
      nativeArchitectureOf([pkg('libc6', '1', 'i386'), pkg('libx', '1', 'i386'), pkg('dpkg', '1', 'arm64')]),
    ).toBe('arm64');
  });

  it('falls back to the most common concrete architecture, ties broken by name', () => {
    expect(
      nativeArchitectureOf([
        pkg('a', '1', 'i386'),
        pkg('b', '1', 'amd64'),
        pkg('c', '1', 'amd64'),
        pkg('d', '1', 'all'),
      ]),
    ).toBe('amd64');
    expect(nativeArchitectureOf([pkg('a', '1', 'i386'), pkg('b', '1', 'amd64')])).toBe('amd64');
  });

  it('is null when no package has a concrete architecture', () => {
    expect(nativeArchitectureOf([pkg('a', '1', 'all'), pkg('b', '1', '')])).toBeNull();
    expect(nativeArchitectureOf([])).toBeNull();
  });
});

describe('packageKey', () => {
  it('qualifies only foreign-architecture packages', () => {
    expect(packageKey(pkg('libc6', '1', 'amd64'), 'amd64')).toBe('libc6');
    expect(packageKey(pkg('libc6', '1', 'i386'), 'amd64')).toBe('libc6:i386');
    expect(packageKey(pkg('adduser', '1', 'all'), 'amd64')).toBe('adduser');
    expect(packageKey(pkg('oldpkg', '1', ''), null)).toBe('oldpkg');
  });
});

describe('buildPackagesSection', () => {
  it('keys packages by name (name:arch when foreign), sorted, with manual from the auto marks', () => {
    const marks = [
      { name: 'zlib1g', architecture: 'amd64' },
      { name: 'libc6', architecture: 'i386' },
      { name: 'adduser', architecture: 'amd64' },
      { name: 'not-installed', architecture: 'amd64' },
    ];
    const { config, facts } = buildPackagesSection({ source: 'dpkg', packages: INSTALLED }, marks);
    expect(Object.keys(config.packages)).toEqual([
      'adduser',
      'dpkg',
      'libc6',
      'libc6:i386',
      'python3',
      'zlib1g',
    ]);
    expect(config.packages).toEqual({
      adduser: { version: '3.134', architecture: 'all', manual: false },
      dpkg: { version: '1.21.22', architecture: 'amd64', manual: true },
      libc6: { version: '2.36-9+deb12u4', architecture: 'amd64', manual: true },
      'libc6:i386': { version: '2.36-9+deb12u4', architecture: 'i386', manual: false },
      python3: { version: '3.11.2-1+b1', architecture: 'amd64', manual: true },
      zlib1g: { version: '1:1.2.13.dfsg-1', architecture: 'amd64', manual: false },
    });
    expect(facts).toEqual({
      source: 'dpkg',
      count: 6,
      nativeArchitecture: 'amd64',
      autoInstalledMarks: 'read',
      invalidNames: [],
    });
  });

  it('reads marks without an architecture as native', () => {
    const { config } = buildPackagesSection({ source: 'dpkg', packages: INSTALLED }, [
      { name: 'python3' },
      { name: 'libc6' },
    ]);
    expect(config.packages.python3?.manual).toBe(false);
    expect(config.packages.libc6?.manual).toBe(false);
    expect(config.packages['libc6:i386']?.manual).toBe(true);
  });

  it('counts every package as manual when apt left no marks, and records the fallback reason', () => {
    const { config, facts } = buildPackagesSection(
      { source: 'dpkg', packages: INSTALLED, fallbackReason: 'org.freedesktop.PackageKit is not on the bus' },
      undefined,
    );
    expect(Object.values(config.packages).every((entry) => entry.manual)).toBe(true);
    expect(facts.autoInstalledMarks).toBe('absent');
    expect(facts.fallbackReason).toBe('org.freedesktop.PackageKit is not on the bus');
  });

  it('leaves names that break Debian policy out of config and lists them in facts', () => {
    const packages = [
      pkg('Bad_Name', '1', 'amd64'),
      pkg('x', '1', 'amd64'),
      pkg('g++', '4:12.2.0-3', 'amd64'),
    ];
    const { config, facts } = buildPackagesSection({ source: 'packagekit', packages }, []);
    expect(Object.keys(config.packages)).toEqual(['g++']);
    expect(facts.invalidNames).toEqual(['Bad_Name', 'x']);
    expect(facts.count).toBe(1);
    expect(facts.fallbackReason).toBeUndefined();
  });

  it('gives the same section whatever order the source listed packages in', () => {
    const forward = buildPackagesSection({ source: 'dpkg', packages: INSTALLED }, []);
    const backward = buildPackagesSection({ source: 'dpkg', packages: [...INSTALLED].reverse() }, []);
    expect(JSON.stringify(backward)).toBe(JSON.stringify(forward));
  });
});
