// Cross-checks `op-dbus discover --export` of real systemd containers against independent tools run
// inside them (systemctl, dpkg-query, hostnamectl, timedatectl, ip, /proc), before and after the test
// changes a target (enables a unit, adds a sysctl.d file, sets a hostname).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MachineState } from '../../src/state/schema.js';
import { opDbus } from '../support/run-cli.js';
import { execInTarget, type TestbedTarget, target, targetArgs } from './testbed-env.js';

interface UnitRow {
  load: string;
  active: string;
  sub: string;
}

async function listUnits(t: TestbedTarget): Promise<Map<string, UnitRow>> {
  const out = await execInTarget(t, [
    'systemctl',
    'list-units',
    '--all',
    '--plain',
    '--no-legend',
    '--no-pager',
    '--full',
  ]);
  const rows = new Map<string, UnitRow>();
  for (const line of out.split('\n')) {
    const [name, load, active, sub] = line.replace(/^●\s*/, '').trim().split(/\s+/);
    if (name && load && active && sub) rows.set(name, { load, active, sub });
  }
  return rows;
}

async function listUnitFiles(t: TestbedTarget): Promise<Record<string, string>> {
  const out = await execInTarget(t, [
    'systemctl',
    'list-unit-files',
    '--no-legend',
    '--plain',
    '--no-pager',
    '--full',
  ]);
  const states: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const [name, state] = line.trim().split(/\s+/);
    if (name && state) states[name] = state;
  }
  return states;
}

async function capture(t: TestbedTarget, plugins: string[] = []): Promise<MachineState> {
  const pluginArgs = plugins.flatMap((p) => ['--plugin', p]);
  const { code, stdout, stderr } = await opDbus(['discover', '--export', ...pluginArgs, ...targetArgs(t)]);
  expect(stderr).not.toMatch(/warning|error/);
  expect(code).toBe(0);
  return JSON.parse(stdout) as MachineState;
}

// Unit-file states whose run state is an admin's choice (the rest follow dependencies and activation).
const ADMIN_CHOICE = new Set(['enabled', 'enabled-runtime', 'disabled', 'linked', 'linked-runtime']);

type Sections = Record<string, { config: Record<string, unknown>; facts: Record<string, unknown> }>;
const sections = (state: MachineState) => state.sections as unknown as Sections;

describe.each([0, 1])('discover on testbed target #%i matches the tools inside it', (index) => {
  let t: TestbedTarget;
  let state: MachineState;
  let unitsBefore: Map<string, UnitRow>;
  let unitsAfter: Map<string, UnitRow>;

  beforeAll(async () => {
    t = target(index);
    // A first capture D-Bus-activates hostnamed, PackageKit and friends, so the compared one meets them running.
    await capture(t);
    unitsBefore = await listUnits(t);
    state = await capture(t);
    unitsAfter = await listUnits(t);
  });

  it('captures every plugin section and the machine metadata', async () => {
    expect(state.unavailable).toEqual([]);
    expect(Object.keys(state.sections).sort()).toEqual([
      'dbus-services',
      'identity',
      'kernel',
      'network',
      'ovs',
      'packages',
      'systemd',
    ]);
    const machineId = (await execInTarget(t, ['cat', '/etc/machine-id'])).trim();
    expect(state.metadata.machineId).toBe(machineId);
    expect(state.metadata.hostname).toBe(t.name);
  });

  it('systemd units equal systemctl list-units --all (each unit as systemctl saw it before or after)', () => {
    const units = sections(state).systemd?.facts.units as Record<string, UnitRow & { description: string }>;
    for (const [name, row] of Object.entries(units)) {
      const seen = [unitsBefore.get(name), unitsAfter.get(name)].filter(Boolean);
      expect(seen.length, `${name} is not listed by systemctl`).toBeGreaterThan(0);
      const mine = { load: row.load, active: row.active, sub: row.sub };
      const changedMeanwhile = JSON.stringify(seen[0]) !== JSON.stringify(seen[1]);
      // A unit that systemctl saw change while we read may be caught mid-transition.
      if (changedMeanwhile && /ing$/.test(mine.active)) continue;
      expect(seen, name).toContainEqual(mine);
    }
    for (const name of unitsBefore.keys())
      if (unitsAfter.has(name)) expect(units, name).toHaveProperty([name]);
  });

  it('unit-file states and the default target equal systemctl', async () => {
    const config = sections(state).systemd?.config as {
      unitFiles: Record<string, string>;
      defaultTarget: string;
    };
    expect(config.unitFiles).toEqual(await listUnitFiles(t));
    expect(config.defaultTarget).toBe((await execInTarget(t, ['systemctl', 'get-default'])).trim());
  });

  it('run states in config are those of enabled and disabled units, as systemctl is-active says', async () => {
    const config = sections(state).systemd?.config as {
      unitFiles: Record<string, string>;
      activeState: Record<string, string>;
    };
    const chosen = Object.entries(await listUnitFiles(t))
      .filter(([name, fileState]) => ADMIN_CHOICE.has(fileState) && !name.includes('@.'))
      .map(([name]) => name);
    expect(Object.keys(config.activeState).sort()).toEqual(chosen.sort());
    // is-active exits non-zero when a unit is not active; its output is what counts.
    const out = await execInTarget(t, ['sh', '-c', 'systemctl is-active "$@"; true', 'sh', ...chosen]);
    const isActive = out.trim().split('\n');
    chosen.forEach((name, index) => {
      const running = ['active', 'activating', 'reloading'].includes(isActive[index] ?? '');
      expect(config.activeState[name], name).toBe(running ? 'active' : 'inactive');
    });
  });

  it('keeps the systemd config when the services op-dbus D-Bus-activated have exited', async () => {
    await execInTarget(t, [
      'sh',
      '-c',
      'systemctl stop systemd-hostnamed systemd-timedated systemd-localed; true',
    ]);
    const again = await capture(t, ['systemd']);
    expect(sections(again).systemd?.config).toEqual(sections(state).systemd?.config);
  });

  it('installed packages equal dpkg-query -W', async () => {
    // dpkg-query's own ${field} syntax, not a template literal.
    const format = ['Package', 'Version', 'db:Status-Status'].map((field) => `\${${field}}`).join('\t');
    const out = await execInTarget(t, ['dpkg-query', '-W', '-f', `${format}\n`]);
    const installed = Object.fromEntries(
      out
        .split('\n')
        .map((line) => line.split('\t'))
        .filter(([, , status]) => status === 'installed')
        .map(([name, version]) => [name, version]),
    );
    const packages = sections(state).packages?.config.packages as Record<string, { version: string }>;
    expect(Object.fromEntries(Object.entries(packages).map(([name, p]) => [name, p.version]))).toEqual(
      installed,
    );
  });

  it('hostname, time zone and locale equal hostnamectl, timedatectl and localectl', async () => {
    const host = JSON.parse(await execInTarget(t, ['hostnamectl', '--json=short'])) as Record<
      string,
      string | null
    >;
    const time = Object.fromEntries(
      (await execInTarget(t, ['timedatectl', 'show']))
        .trim()
        .split('\n')
        .map((l) => l.split('=', 2) as [string, string]),
    );
    const identity = sections(state).identity?.config as {
      hostname: { staticHostname: string; prettyHostname: string | null; chassis: string | null };
      time: { timezone: string; ntp: boolean };
      locale: { variables: Record<string, string> };
    };
    const facts = sections(state).identity?.facts as {
      hostname: { detectedChassis: string | null };
      locale: { reportedVariables: Record<string, string> | null };
    };
    expect(identity.hostname.staticHostname).toBe(host.StaticHostname);
    expect(identity.hostname.prettyHostname).toBe(host.PrettyHostname);
    expect(identity.time.timezone).toBe(time.Timezone);
    expect(identity.time.ntp).toBe(time.NTP === 'yes');
    // hostnamectl shows the chassis hostnamed detects; config holds only what /etc/machine-info sets.
    expect(facts.hostname.detectedChassis).toBe(host.Chassis);
    const chassisSetting = await execInTarget(t, ['sh', '-c', 'grep -s ^CHASSIS= /etc/machine-info; true']);
    expect(identity.hostname.chassis).toBe(chassisSetting.trim().replace(/^CHASSIS=/, '') || null);
    // localectl shows the locale localed reports, its inherited default when no locale file sets one.
    const locale = (await execInTarget(t, ['localectl', 'status'])).match(/System Locale: (\S+)/)?.[1];
    expect(Object.entries(facts.locale.reportedVariables ?? {}).map(([k, v]) => `${k}=${v}`)).toContain(
      locale,
    );
    const localeFiles = await execInTarget(t, [
      'sh',
      '-c',
      'ls /etc/locale.conf /etc/default/locale 2>/dev/null; true',
    ]);
    expect(identity.locale.variables).toEqual(
      localeFiles.trim() === '' ? {} : facts.locale.reportedVariables,
    );
  });

  it('network links equal ip -j link', async () => {
    const ipLinks = JSON.parse(await execInTarget(t, ['ip', '-j', 'link'])) as {
      ifindex: number;
      ifname: string;
      mtu: number;
      operstate: string;
      link_type: string;
      address?: string;
    }[];
    const ipAddrs = JSON.parse(await execInTarget(t, ['ip', '-j', 'addr'])) as {
      ifindex: number;
      addr_info: { local: string; prefixlen: number }[];
    }[];
    const cidrs = new Map(
      ipAddrs.map((l) => [l.ifindex, l.addr_info.map((a) => `${a.local}/${a.prefixlen}`).sort()]),
    );
    const links = sections(state).network?.facts.links as {
      index: number;
      name: string;
      mtu: number;
      mac: string | null;
      operState: string;
      addresses: string[] | null;
    }[];
    expect(
      links.map((l) => [l.index, l.name, l.mtu, l.mac, l.operState, [...(l.addresses ?? [])].sort()]),
    ).toEqual(
      ipLinks.map((l) => [
        l.ifindex,
        l.ifname,
        l.mtu,
        // Loopback's all-zero address and address-less links (tunnels, WireGuard) have no MAC.
        l.link_type === 'loopback' || l.link_type === 'none' ? null : (l.address ?? null),
        l.operstate.toLowerCase(),
        cidrs.get(l.ifindex) ?? [],
      ]),
    );
  });

  it('the kernel command line equals /proc/cmdline (boot-specific parameters as facts)', async () => {
    const kernel = sections(state).kernel as unknown as {
      config: { commandLine: string[] };
      facts: { commandLine: { bootParameters: string[]; initArguments: string[] } };
    };
    const cmdline = (await execInTarget(t, ['cat', '/proc/cmdline'])).trim();
    const [kernelPart] = cmdline.split(/\s--\s/);
    const tokens = (kernelPart ?? '').split(/\s+/);
    expect([...kernel.config.commandLine, ...kernel.facts.commandLine.bootParameters].sort()).toEqual(
      tokens.sort(),
    );
  });
});

describe('discover after changing a target', () => {
  const unit = 'opdbus-crosscheck.service';
  const sysctlFile = '/etc/sysctl.d/60-opdbus-crosscheck.conf';
  let t: TestbedTarget;
  let originalHostname: string;

  beforeAll(async () => {
    t = target(1);
    originalHostname = (await execInTarget(t, ['hostnamectl', 'hostname'])).trim();
    await execInTarget(t, [
      'sh',
      '-c',
      `printf '[Unit]\\nDescription=op-dbus cross-check\\n[Service]\\nType=oneshot\\nRemainAfterExit=yes\\nExecStart=/bin/true\\n[Install]\\nWantedBy=multi-user.target\\n' > /etc/systemd/system/${unit}
       && printf 'net.ipv4.ip_forward = 1\\n' > ${sysctlFile}
       && systemctl daemon-reload && systemctl enable --now ${unit}
       && hostnamectl set-hostname opdbus-renamed`.replaceAll('\n', ' '),
    ]);
  });

  afterAll(async () => {
    await execInTarget(t, [
      'sh',
      '-c',
      `systemctl disable --now ${unit}; rm -f /etc/systemd/system/${unit} ${sysctlFile}; systemctl daemon-reload; hostnamectl set-hostname ${originalHostname}`,
    ]);
  });

  it('sees the new enabled and running unit with its file, exactly as systemctl does', async () => {
    const state = await capture(t, ['systemd']);
    const config = sections(state).systemd?.config as {
      unitFiles: Record<string, string>;
      activeState: Record<string, string>;
      files: Record<string, { content: string }>;
    };
    expect(config.unitFiles[unit]).toBe('enabled');
    expect(config.activeState[unit]).toBe('active');
    expect(config.files[`/etc/systemd/system/${unit}`]?.content).toContain('ExecStart=/bin/true');
    expect(config.unitFiles).toEqual(await listUnitFiles(t));
  });

  it('sees the new sysctl.d setting and the new hostname', async () => {
    const state = await capture(t, ['kernel', 'identity']);
    const kernel = sections(state).kernel?.config as { sysctl: Record<string, { value: string }> };
    expect(kernel.sysctl['net.ipv4.ip_forward']?.value).toBe('1');
    const identity = sections(state).identity?.config as { hostname: { staticHostname: string } };
    expect(identity.hostname.staticHostname).toBe('opdbus-renamed');
    expect(state.metadata.hostname).toBe('opdbus-renamed');
  });
});
