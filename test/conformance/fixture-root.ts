// A small machine root on disk for unit tests: the files each plugin reads, with a planted secret,
// and no D-Bus (the bus address points at a socket that does not exist).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Machine } from '../../src/machine/machine.js';

export const PLANTED_SECRET = 'conformance-secret-7f3a9c';

const FILES: Record<string, string> = {
  '/etc/hostname': 'fixture-host\n',
  '/etc/machine-id': '0123456789abcdef0123456789abcdef\n',
  '/etc/machine-info': 'PRETTY_HOSTNAME="Fixture Host"\nCHASSIS=server\n',
  '/etc/timezone': 'Europe/Warsaw\n',
  '/etc/default/locale': 'LANG=pl_PL.UTF-8\n',
  '/etc/default/keyboard': 'XKBLAYOUT="pl"\n',
  '/proc/cmdline':
    'BOOT_IMAGE=/vmlinuz-6.1.0 root=UUID=1234 ro quiet intel_idle.max_cstate=1 i915.enable_psr=0\n',
  '/proc/sys/kernel/osrelease': '6.1.0-fixture\n',
  '/proc/sys/vm/swappiness': '10\n',
  '/etc/sysctl.d/90-tuning.conf': '# tuning\nvm.swappiness = 10\n',
  '/etc/modules-load.d/touch.conf': 'i2c_hid\nhid_multitouch\n',
  '/etc/modprobe.d/quirks.conf': 'options i915 enable_psr=0\nblacklist pcspkr\n',
  '/etc/systemd/system/app.service': `[Unit]\nDescription=App\n[Service]\nEnvironment=DB_PASSWORD=${PLANTED_SECRET}\nEnvironment=DATABASE_URL=postgres://app:${PLANTED_SECRET}@db/app MYSQL_PWD=${PLANTED_SECRET}\nExecStart=/usr/bin/app\n[Install]\nWantedBy=multi-user.target\n`,
  '/etc/systemd/system/app.service.d/override.conf': `[Service]\nExecStart=\nExecStart=/usr/bin/app --token ${PLANTED_SECRET}\n`,
  // Admins keep env files beside units; they are not unit files and must not be copied.
  '/etc/systemd/system/app.env': `DB_PASS=${PLANTED_SECRET}\n`,
  '/usr/lib/systemd/system/ssh.service':
    '[Unit]\nDescription=OpenSSH\n[Service]\nExecStart=/usr/sbin/sshd -D\n[Install]\nWantedBy=multi-user.target\n',
  '/etc/systemd/network/10-host0.network': '[Match]\nName=host0\n[Network]\nAddress=10.250.9.2/30\n',
  '/etc/systemd/network/20-wg0.netdev': `[NetDev]\nName=wg0\nKind=wireguard\n[WireGuard]\nPrivateKey=${PLANTED_SECRET}\n`,
  '/var/lib/dpkg/arch': 'amd64\n',
  '/var/lib/dpkg/status':
    'Package: openssh-server\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:9.2p1-2+deb12u3\n\nPackage: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9+deb12u7\n\nPackage: removed-pkg\nStatus: deinstall ok config-files\nArchitecture: amd64\nVersion: 1.0\n',
  '/var/lib/apt/extended_states': 'Package: libc6\nArchitecture: amd64\nAuto-Installed: 1\n',
  '/sys/class/net/lo/address': '00:00:00:00:00:00\n',
  '/sys/class/net/lo/mtu': '65536\n',
  '/sys/class/net/lo/operstate': 'unknown\n',
  '/sys/class/net/lo/ifindex': '1\n',
  '/sys/class/net/lo/type': '772\n',
};

export interface FixtureRoot {
  root: string;
  machine(): Machine;
  remove(): void;
}

export function createFixtureRoot(): FixtureRoot {
  const root = mkdtempSync(join(tmpdir(), 'opdbus-fixture-'));
  for (const [path, content] of Object.entries(FILES)) {
    mkdirSync(join(root, dirname(path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  mkdirSync(join(root, 'etc/systemd/system/multi-user.target.wants'), { recursive: true });
  symlinkSync(
    '/etc/systemd/system/app.service',
    join(root, 'etc/systemd/system/multi-user.target.wants/app.service'),
  );
  symlinkSync('/usr/share/zoneinfo/Europe/Warsaw', join(root, 'etc/localtime'));
  return {
    root,
    machine: () =>
      new Machine({ root, busAddress: `unix:path=${root}/run/dbus/no_bus_here`, timeoutMs: 2000 }),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
