// The maintained knowledge behind the coverage report: which plugin would manage a well-known bus name
// op-dbus does not manage yet, and what a D-Bus API could offer for daemons that have none.
import { compareStrings } from '../../util/order.js';
import type { ListedUnit } from './list-units.js';
import type { ConversionCandidate } from './schema.js';

/**
 * Plugins not written yet, by the bus name they would manage. Names a shipped plugin manages are absent: its
 * `managedBusNames` says so, and the report shows them as managed.
 */
export const RECOMMENDED_PLUGINS: ReadonlyMap<string, string> = new Map([
  ['com.redhat.tuned', 'tuned'],
  ['fi.w1.wpa_supplicant1', 'wpa-supplicant'],
  ['net.hadess.PowerProfiles', 'power-profiles'],
  ['org.bluez', 'bluez'],
  ['org.fedoraproject.FirewallD1', 'firewalld'],
  ['org.freedesktop.Accounts', 'accounts'],
  ['org.freedesktop.Avahi', 'avahi'],
  ['org.freedesktop.ColorManager', 'colord'],
  ['org.freedesktop.GeoClue2', 'geoclue'],
  ['org.freedesktop.ModemManager1', 'modemmanager'],
  ['org.freedesktop.NetworkManager', 'networkmanager'],
  ['org.freedesktop.PolicyKit1', 'polkit'],
  ['org.freedesktop.RealtimeKit1', 'rtkit'],
  ['org.freedesktop.UDisks2', 'udisks2'],
  ['org.freedesktop.UPower', 'upower'],
  ['org.freedesktop.bolt', 'bolt'],
  ['org.freedesktop.fwupd', 'fwupd'],
  ['org.freedesktop.home1', 'homed'],
  ['org.freedesktop.import1', 'importd'],
  ['org.freedesktop.login1', 'login1'],
  ['org.freedesktop.machine1', 'machined'],
  ['org.freedesktop.nm_dispatcher', 'networkmanager'],
  ['org.freedesktop.oom1', 'oomd'],
  ['org.freedesktop.portable1', 'portabled'],
  ['org.freedesktop.realmd', 'realmd'],
  ['org.freedesktop.resolve1', 'resolved'],
  ['org.freedesktop.thermald', 'thermald'],
  ['org.freedesktop.timesync1', 'timesyncd'],
]);

export function recommendedPluginFor(busName: string): string | undefined {
  return RECOMMENDED_PLUGINS.get(busName);
}

interface ConversionHint {
  /** Matched against the unit name without `.service` and without a template instance. */
  daemon: RegExp;
  difficulty: ConversionCandidate['difficulty'];
  opportunity: string;
}

const CONVERSION_HINTS: readonly ConversionHint[] = [
  {
    daemon: /^(nginx|apache2|httpd|lighttpd|caddy)$/,
    difficulty: 'easy',
    opportunity: 'Web server status, config test and reload could be exposed via D-Bus',
  },
  {
    daemon: /^(haproxy|varnish|squid)$/,
    difficulty: 'easy',
    opportunity: 'Proxy backends, stats and reload could be exposed via D-Bus',
  },
  {
    daemon: /^(restic|borgbackup|borg|backup)/,
    difficulty: 'easy',
    opportunity: 'Backup runs and their status could be monitored via D-Bus',
  },
  {
    daemon: /^(wg-quick|wireguard|openvpn|openvpn-server|openvpn-client|strongswan|ipsec)$/,
    difficulty: 'easy',
    opportunity: 'VPN connections could be listed and controlled via D-Bus',
  },
  {
    daemon: /^(ssh|sshd)$/,
    difficulty: 'easy',
    opportunity: 'SSH sessions, host keys and config reload could be exposed via D-Bus',
  },
  {
    daemon: /^(cron|crond|cronie|anacron|atd)$/,
    difficulty: 'easy',
    opportunity: 'Scheduled jobs could be managed via D-Bus (or moved to systemd timers)',
  },
  {
    daemon: /^(rsyslog|syslog-ng)$/,
    difficulty: 'easy',
    opportunity: 'Log routing rules and status could be exposed via D-Bus',
  },
  {
    daemon: /^(chrony|chronyd|ntp|ntpd|ntpsec|openntpd)$/,
    difficulty: 'easy',
    opportunity: 'Time sources and sync state could be exposed via D-Bus (as timesync1 does)',
  },
  {
    daemon: /^(fail2ban)$/,
    difficulty: 'easy',
    opportunity: 'Jails and bans could be listed and changed via D-Bus',
  },
  {
    daemon: /^(postfix|exim4|exim|dovecot|opensmtpd)$/,
    difficulty: 'medium',
    opportunity: 'Mail queues and delivery status could be exposed via D-Bus',
  },
  {
    daemon: /^(docker|podman)$/,
    difficulty: 'medium',
    opportunity: 'Docker could expose its management API via D-Bus',
  },
  {
    daemon: /^(postgresql|mysql|mariadb|mongod|redis|redis-server|memcached)$/,
    difficulty: 'medium',
    opportunity: 'Database health, replication and reload could be exposed via D-Bus',
  },
  {
    daemon: /^(php[\d.]*-fpm|php-fpm|uwsgi|gunicorn)$/,
    difficulty: 'medium',
    opportunity: 'Worker pools and reload could be exposed via D-Bus',
  },
  {
    daemon: /^(smbd|nmbd|nfs-server|nfs-kernel-server|rpcbind)$/,
    difficulty: 'medium',
    opportunity: 'Shares and exports could be managed via D-Bus',
  },
  {
    daemon: /^(named|bind9|dnsmasq|unbound)$/,
    difficulty: 'medium',
    opportunity: 'DNS zones, caches and reload could be exposed via D-Bus',
  },
  {
    daemon: /^(ovsdb-server|ovs-vswitchd|openvswitch-switch)$/,
    difficulty: 'medium',
    opportunity:
      'OVS bridges and ports could be exposed via D-Bus (op-dbus dbus serve exports org.openvswitch.ovsdb)',
  },
  {
    daemon: /^(unattended-upgrades|packagekit|apt-daily)/,
    difficulty: 'medium',
    opportunity: 'Package updates are already reachable through PackageKit on D-Bus',
  },
  {
    daemon: /^(containerd|kubelet|cri-o|crio|lxc|lxd|libvirtd|qemu)/,
    difficulty: 'hard',
    opportunity: 'Container/VM runtime state is complex; expose a read-only status API first',
  },
  {
    daemon: /^systemd-(journald|udevd)$/,
    difficulty: 'hard',
    opportunity: 'Low-level systemd daemon; reach it through systemd1 rather than a bus API of its own',
  },
];

const GENERIC_OPPORTUNITY = 'Status and reload could be exposed via D-Bus (today only through systemd1)';

/** Units that are part of the console, of login sessions or of op-dbus itself, not daemons to convert. */
const NOT_CANDIDATES =
  /^(getty|serial-getty|container-getty|autovt|user|user-runtime-dir)@|^console-getty\.service$|^op-?dbus/;

function daemonName(unit: string): string {
  const stem = unit.replace(/\.service$/, '');
  const at = stem.indexOf('@');
  return at === -1 ? stem : stem.slice(0, at);
}

/** The hint for a daemon: what a D-Bus API could offer and how hard it would be to add. */
export function conversionHintFor(unit: string): Pick<ConversionCandidate, 'difficulty' | 'opportunity'> {
  const daemon = daemonName(unit);
  const hint = CONVERSION_HINTS.find((candidate) => candidate.daemon.test(daemon));
  return hint
    ? { difficulty: hint.difficulty, opportunity: hint.opportunity }
    : { difficulty: 'unknown', opportunity: GENERIC_OPPORTUNITY };
}

/**
 * Running service units that own no bus name: daemons reachable only indirectly (systemctl / systemd1).
 * `unitsWithBusNames` are the units whose processes own a name on the bus.
 */
export function selectConversionCandidates(
  units: readonly ListedUnit[],
  unitsWithBusNames: ReadonlySet<string>,
): ConversionCandidate[] {
  return units
    .filter(
      (unit) =>
        unit.name.endsWith('.service') && unit.activeState === 'active' && unit.subState === 'running',
    )
    .filter((unit) => !unitsWithBusNames.has(unit.name) && !NOT_CANDIDATES.test(unit.name))
    .map((unit) => ({ unit: unit.name, description: unit.description, ...conversionHintFor(unit.name) }))
    .sort((a, b) => compareStrings(a.unit, b.unit));
}
