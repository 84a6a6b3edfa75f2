// The packages plugin on a real target: PackageKit over D-Bus and the dpkg fallback must describe the
// same installed packages, and both must agree with dpkg-query and apt-mark run inside the target.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Machine } from '../../src/machine/machine.js';
import { packageKey } from '../../src/plugins/packages/build-section.js';
import { packagesPlugin } from '../../src/plugins/packages/index.js';
import { listInstalledWithPackageKit } from '../../src/plugins/packages/packagekit.js';
import type { PackagesConfig, PackagesFacts } from '../../src/plugins/packages/schema.js';
import { containerRoot, execInTarget, machineFor, TESTBED_DIR, target } from './testbed-env.js';

const context = { managedBusNames: new Map<string, string>() };
const testbedTarget = target(0);
const EXTENDED_STATES = '/var/lib/apt/extended_states';
const AUTO_MARKED = 'iproute2';

async function discover(machine: Machine): Promise<{ config: PackagesConfig; facts: PackagesFacts }> {
  try {
    expect(await packagesPlugin.available(machine)).toEqual({ ok: true });
    const found = await packagesPlugin.discover(machine, context);
    return {
      config: packagesPlugin.configSchema.parse(found.config),
      facts: packagesPlugin.factsSchema.parse(found.facts),
    };
  } finally {
    await machine.close();
  }
}

describe('packages plugin on a testbed target', () => {
  let viaPackageKit: { config: PackagesConfig; facts: PackagesFacts };
  let viaDpkg: { config: PackagesConfig; facts: PackagesFacts };
  let nativeArchitecture: string;
  let hadExtendedStates = false;

  beforeAll(async () => {
    hadExtendedStates =
      (
        await execInTarget(testbedTarget, ['sh', '-c', `test -e ${EXTENDED_STATES} && echo yes || true`])
      ).trim() === 'yes';
    // One auto mark, so the manual flags are not trivially all true on a debootstrapped target.
    await execInTarget(testbedTarget, ['apt-mark', 'auto', AUTO_MARKED]);
    viaPackageKit = await discover(machineFor(testbedTarget));
    // A bus that does not exist forces the fallback on the same root.
    const noBus = `unix:path=${TESTBED_DIR}/no-such-dir/system_bus_socket`;
    viaDpkg = await discover(new Machine({ busAddress: noBus, root: containerRoot(testbedTarget) }));
    nativeArchitecture = (await execInTarget(testbedTarget, ['dpkg', '--print-architecture'])).trim();
  });

  afterAll(async () => {
    if (hadExtendedStates) await execInTarget(testbedTarget, ['apt-mark', 'manual', AUTO_MARKED]);
    else await execInTarget(testbedTarget, ['rm', '-f', EXTENDED_STATES]);
  });

  it('reads installed packages through PackageKit when it is activatable', () => {
    expect(viaPackageKit.facts.source).toBe('packagekit');
    expect(viaPackageKit.facts.fallbackReason).toBeUndefined();
    expect(viaPackageKit.facts.count).toBeGreaterThan(100);
    expect(viaPackageKit.config.packages.systemd?.manual).toBeTypeOf('boolean');
  });

  it('falls back to the dpkg database and says why', () => {
    expect(viaDpkg.facts.source).toBe('dpkg');
    expect(viaDpkg.facts.fallbackReason).toMatch(/D-Bus unreachable/);
  });

  it('gives the same packages, versions, architectures and manual flags from both sources', () => {
    expect(viaDpkg.config).toEqual(viaPackageKit.config);
    expect(viaDpkg.facts.nativeArchitecture).toBe(viaPackageKit.facts.nativeArchitecture);
  });

  it("takes dpkg's native architecture", () => {
    expect(viaPackageKit.facts.nativeArchitecture).toBe(nativeArchitecture);
  });

  it('matches dpkg-query inside the target', async () => {
    const listing = await execInTarget(testbedTarget, [
      'dpkg-query',
      '-W',
      '-f',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own field syntax, not a template
      '${Package} ${Version} ${Architecture} ${db:Status-Status}\n',
    ]);
    const expected: Record<string, string> = {};
    for (const line of listing.trim().split('\n')) {
      const [name, version, architecture, state] = line.split(' ') as [string, string, string, string];
      if (state !== 'installed') continue;
      const foreign = architecture !== 'all' && architecture !== nativeArchitecture;
      expected[foreign ? `${name}:${architecture}` : name] = `${version} ${architecture}`;
    }
    const discovered = Object.fromEntries(
      Object.entries(viaPackageKit.config.packages).map(([key, entry]) => [
        key,
        `${entry.version} ${entry.architecture}`,
      ]),
    );
    expect(discovered).toEqual(expected);
  });

  it('marks as manual exactly what apt-mark shows as manual', async () => {
    const manual = (await execInTarget(testbedTarget, ['apt-mark', 'showmanual'])).trim().split('\n').sort();
    const discovered = Object.entries(viaPackageKit.config.packages)
      .filter(([, entry]) => entry.manual)
      .map(([key]) => key)
      .sort();
    expect(discovered).toEqual(manual);
    expect(viaPackageKit.config.packages[AUTO_MARKED]?.manual).toBe(false);
    expect(viaPackageKit.facts.autoInstalledMarks).toBe('read');
  });

  it("agrees with the auto/manual marks PackageKit's apt backend puts in package ids", async () => {
    const machine = machineFor(testbedTarget);
    let listed: Awaited<ReturnType<typeof listInstalledWithPackageKit>>;
    try {
      listed = await listInstalledWithPackageKit(await machine.bus(), 10_000);
    } finally {
      await machine.close();
    }
    const marks = listed
      .map((pkg) => [packageKey(pkg, nativeArchitecture), pkg.data.split(':')[0]] as const)
      .filter(([, mark]) => mark === 'auto' || mark === 'manual');
    expect(marks.length).toBe(listed.length);
    for (const [key, mark] of marks)
      expect([key, viaPackageKit.config.packages[key]?.manual]).toEqual([key, mark === 'manual']);
  });
});
