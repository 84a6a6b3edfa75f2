import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Machine } from '../../machine/machine.js';
import { readHostnameFromFiles, readLocaleFromFiles, readTimeFromFiles } from './read-files.js';

let root: string;
let machine: Machine;

async function put(path: string, text: string): Promise<void> {
  await mkdir(join(root, path, '..'), { recursive: true });
  await writeFile(join(root, path), text);
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'op-dbus-identity-'));
  machine = new Machine({ root, busAddress: 'unix:path=/nonexistent' });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('identity file fallback', () => {
  it('reads hostname and machine-info, never the reader’s own transient hostname', async () => {
    await put('/etc/hostname', '# managed\nweb-07\n');
    await put(
      '/etc/machine-info',
      'PRETTY_HOSTNAME="Web server 07"\nCHASSIS=vm\nDEPLOYMENT=staging\nLOCATION="rack 4"\nBROKEN\n',
    );
    await put('/usr/lib/os-release', 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n');
    const { part, problems } = await readHostnameFromFiles(machine);
    expect(part.config).toEqual({
      staticHostname: 'web-07',
      prettyHostname: 'Web server 07',
      chassis: 'vm',
      deployment: 'staging',
      location: 'rack 4',
      iconName: null,
    });
    expect(part.facts.transientHostname).toBeNull();
    expect(part.facts.detectedChassis).toBeNull();
    expect(part.facts.operatingSystem).toBe('Debian GNU/Linux 12 (bookworm)');
    expect(problems).toEqual([
      { path: '/etc/machine-info', line: 5, text: 'BROKEN', reason: 'not a KEY=value assignment' },
    ]);
  });

  it('names the zone from the /etc/localtime link, leaves NTP unknown and reads the RTC mode', async () => {
    await mkdir(join(root, 'etc'), { recursive: true });
    await symlink('../usr/share/zoneinfo/Europe/Warsaw', join(root, 'etc/localtime'));
    await put('/etc/timezone', 'Etc/UTC\n');
    await put('/etc/adjtime', '0.0 0 0.0\n0\nLOCAL\n');
    const { part } = await readTimeFromFiles(machine);
    expect(part).toEqual({
      config: { timezone: 'Europe/Warsaw', ntp: null, localRtc: true },
      facts: { ntpSynchronized: null, canNtp: null },
    });
  });

  it("uses Debian's /etc/timezone for a copied zone file and UTC when /etc/localtime is missing", async () => {
    await put('/etc/localtime', 'TZif2 binary data');
    await put('/etc/timezone', 'America/New_York\n');
    expect((await readTimeFromFiles(machine)).part.config.timezone).toBe('America/New_York');

    await rm(join(root, 'etc/localtime'));
    expect((await readTimeFromFiles(machine)).part.config).toEqual({
      timezone: 'UTC',
      ntp: null,
      localRtc: false,
    });
  });

  it("prefers /etc/locale.conf over Debian's /etc/default/locale and merges keyboard files", async () => {
    await put('/etc/default/locale', 'LANG=de_DE.UTF-8\n');
    await put(
      '/etc/default/keyboard',
      'XKBMODEL="pc105"\nXKBLAYOUT="de"\nXKBVARIANT=""\nXKBOPTIONS=""\nBACKSPACE="guess"\n',
    );
    await put('/etc/vconsole.conf', 'KEYMAP=de-latin1\n');
    expect((await readLocaleFromFiles(machine)).part).toEqual({
      config: {
        variables: { LANG: 'de_DE.UTF-8' },
        vconsoleKeymap: 'de-latin1',
        vconsoleKeymapToggle: null,
        x11Layout: 'de',
        x11Model: 'pc105',
        x11Variant: null,
        x11Options: null,
      },
      facts: { reportedVariables: null },
    });
    await put('/etc/locale.conf', 'LANG=pl_PL.UTF-8\nLC_TIME=en_GB.UTF-8\n');
    expect((await readLocaleFromFiles(machine)).part.config.variables).toEqual({
      LANG: 'pl_PL.UTF-8',
      LC_TIME: 'en_GB.UTF-8',
    });
  });

  it('reports nothing set on an empty root', async () => {
    const [hostname, time, locale] = await Promise.all([
      readHostnameFromFiles(machine),
      readTimeFromFiles(machine),
      readLocaleFromFiles(machine),
    ]);
    expect(hostname.part.config.staticHostname).toBeNull();
    expect(time.part.config.timezone).toBe('UTC');
    expect(locale.part.config.variables).toEqual({});
    expect([...hostname.problems, ...time.problems, ...locale.problems]).toEqual([]);
  });
});
