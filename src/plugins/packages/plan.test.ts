import { describe, expect, it } from 'vitest';
import { planPackagesChanges } from './plan.js';
import type { InstalledPackageConfig, PackagesConfig, PackagesFacts } from './schema.js';

const FACTS: PackagesFacts = {
  source: 'packagekit',
  count: 0,
  nativeArchitecture: 'amd64',
  autoInstalledMarks: 'read',
  invalidNames: [],
};

const entry = (version: string, manual = true, architecture = 'amd64'): InstalledPackageConfig => ({
  version,
  architecture,
  manual,
});

const BASE: PackagesConfig['packages'] = {
  bash: entry('5.2.15-2+b2'),
  libc6: entry('2.36-9+deb12u4', false),
};

function plan(current: PackagesConfig['packages'], desired: PackagesConfig['packages'], prune = false) {
  return planPackagesChanges(
    { config: { packages: current }, facts: FACTS },
    { packages: desired },
    { prune },
  );
}

describe('planPackagesChanges', () => {
  it('plans nothing when the configs are equal', () => {
    expect(plan(BASE, structuredClone(BASE))).toEqual({ changes: [], unresolved: [] });
    expect(plan(BASE, structuredClone(BASE), true)).toEqual({ changes: [], unresolved: [] });
  });

  it('installs each missing package installed on request, one change per package, sorted by key', () => {
    const desired = { ...BASE, zsh: entry('5.9-4'), curl: entry('7.88.1-10', true, 'amd64') };
    const { changes, unresolved } = plan(BASE, desired);
    expect(unresolved).toEqual([]);
    expect(changes.map((change) => change.id)).toEqual(['packages:install:curl', 'packages:install:zsh']);
    expect(changes[1]).toMatchObject({
      plugin: 'packages',
      kind: 'install',
      action: 'create',
      target: 'zsh',
      phase: 'packages',
      risk: 'medium',
      after: { version: '5.9-4', architecture: 'amd64', manual: true },
    });
    expect(changes[1]?.riskNote).toMatch(/maintainer scripts/);
    expect(changes[1]?.description).toMatch(/candidate version; desired 5\.9-4/);
    expect(changes[1]?.before).toBeUndefined();
  });

  it('keys foreign-architecture packages by name:arch and installs them under that key', () => {
    const desired = { ...BASE, 'libc6:i386': entry('2.36-9+deb12u4', true, 'i386') };
    const { changes } = plan(BASE, desired);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      id: 'packages:install:libc6:i386',
      target: 'libc6:i386',
      after: { architecture: 'i386' },
    });
  });

  it('reports a missing dependency instead of installing it', () => {
    const desired = { ...BASE, libcurl4: entry('7.88.1-10', false) };
    const { changes, unresolved } = plan(BASE, desired);
    expect(changes).toEqual([]);
    expect(unresolved).toEqual([
      {
        plugin: 'packages',
        path: '$.sections.packages.config.packages.libcurl4',
        description: expect.stringMatching(/dependency in the desired state/),
        expected: desired.libcurl4,
        blocking: false,
      },
    ]);
  });

  it('without --prune reports extra packages as non-blocking items', () => {
    const current = { ...BASE, vim: entry('2:9.0.1378-2'), 'vim-runtime': entry('2:9.0.1378-2', false) };
    const { changes, unresolved } = plan(current, BASE);
    expect(changes).toEqual([]);
    expect(unresolved.map((item) => [item.path, item.blocking])).toEqual([
      ['$.sections.packages.config.packages.vim', false],
      ['$.sections.packages.config.packages["vim-runtime"]', false],
    ]);
    expect(unresolved[0]?.description).toMatch(/only with --prune/);
    expect(unresolved[0]?.actual).toEqual(current.vim);
    expect(unresolved[1]?.description).toMatch(/does not remove dependencies/);
  });

  it('with --prune removes extra packages installed on request, at high risk, and still only reports dependencies', () => {
    const current = { ...BASE, vim: entry('2:9.0.1378-2'), 'vim-runtime': entry('2:9.0.1378-2', false) };
    const { changes, unresolved } = plan(current, BASE, true);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      id: 'packages:remove:vim',
      kind: 'remove',
      action: 'delete',
      target: 'vim',
      phase: 'packages',
      risk: 'high',
      before: current.vim,
    });
    expect(changes[0]?.riskNote).toMatch(/depends on it/);
    expect(changes[0]?.after).toBeUndefined();
    expect(unresolved.map((item) => item.path)).toEqual([
      '$.sections.packages.config.packages["vim-runtime"]',
    ]);
  });

  it('reports version, architecture and auto-installed differences as non-blocking items', () => {
    const current = { ...BASE, curl: entry('7.88.1-10', false, 'amd64') };
    const desired = { ...BASE, curl: entry('7.88.1-10+deb12u5', true, 'arm64') };
    const { changes, unresolved } = plan(current, desired, true);
    expect(changes).toEqual([]);
    expect(unresolved).toEqual([
      expect.objectContaining({
        path: '$.sections.packages.config.packages.curl.version',
        expected: '7.88.1-10+deb12u5',
        actual: '7.88.1-10',
        blocking: false,
        description: expect.stringMatching(/candidate version/),
      }),
      expect.objectContaining({
        path: '$.sections.packages.config.packages.curl.architecture',
        expected: 'arm64',
        actual: 'amd64',
        blocking: false,
      }),
      expect.objectContaining({
        path: '$.sections.packages.config.packages.curl.manual',
        expected: true,
        actual: false,
        blocking: false,
        description: expect.stringMatching(/apt-mark manual curl/),
      }),
    ]);
  });

  it('gives the same plan whatever order the keys came in', () => {
    const desired = { zsh: entry('5.9-4'), ...BASE, curl: entry('7.88.1-10') };
    const reordered = Object.fromEntries(Object.entries(desired).reverse());
    expect(JSON.stringify(plan(BASE, reordered))).toBe(JSON.stringify(plan(BASE, desired)));
  });
});
