// Which NixOS option turns on the service a Debian unit provides: NixOS configures services through its own
// modules (services.openssh.enable), not through unit enablement, so a unit's state maps through this table.
// Maintained by hand; a unit missing here is listed as not exported, never guessed.

/** Debian unit name → attribute path of the NixOS `enable` option for the same service. */
export const SERVICE_MODULES: Readonly<Record<string, readonly string[]>> = {
  'ssh.service': ['services', 'openssh', 'enable'],
  'sshd.service': ['services', 'openssh', 'enable'],
  'nginx.service': ['services', 'nginx', 'enable'],
  'apache2.service': ['services', 'httpd', 'enable'],
  'tlp.service': ['services', 'tlp', 'enable'],
  'thermald.service': ['services', 'thermald', 'enable'],
  'pcscd.service': ['services', 'pcscd', 'enable'],
  'pcscd.socket': ['services', 'pcscd', 'enable'],
  'cups.service': ['services', 'printing', 'enable'],
  'cups.socket': ['services', 'printing', 'enable'],
  'avahi-daemon.service': ['services', 'avahi', 'enable'],
  'bluetooth.service': ['hardware', 'bluetooth', 'enable'],
  'docker.service': ['virtualisation', 'docker', 'enable'],
  'libvirtd.service': ['virtualisation', 'libvirtd', 'enable'],
  'postgresql.service': ['services', 'postgresql', 'enable'],
  'mariadb.service': ['services', 'mysql', 'enable'],
  'redis-server.service': ['services', 'redis', 'servers', '', 'enable'],
  'cron.service': ['services', 'cron', 'enable'],
  'fail2ban.service': ['services', 'fail2ban', 'enable'],
  'chrony.service': ['services', 'chrony', 'enable'],
  'ntpsec.service': ['services', 'ntp', 'enable'],
  'systemd-timesyncd.service': ['services', 'timesyncd', 'enable'],
  'systemd-resolved.service': ['services', 'resolved', 'enable'],
  'NetworkManager.service': ['networking', 'networkmanager', 'enable'],
  'ModemManager.service': ['networking', 'modemmanager', 'enable'],
  'upower.service': ['services', 'upower', 'enable'],
  'udisks2.service': ['services', 'udisks2', 'enable'],
  'accounts-daemon.service': ['services', 'accounts-daemon', 'enable'],
  'fwupd.service': ['services', 'fwupd', 'enable'],
  'smartmontools.service': ['services', 'smartd', 'enable'],
  'acpid.service': ['services', 'acpid', 'enable'],
  'irqbalance.service': ['services', 'irqbalance', 'enable'],
  'rsync.service': ['services', 'rsyncd', 'enable'],
  'nfs-server.service': ['services', 'nfs', 'server', 'enable'],
  'smbd.service': ['services', 'samba', 'enable'],
  'containerd.service': ['virtualisation', 'containerd', 'enable'],
  'postfix.service': ['services', 'postfix', 'enable'],
  'dnsmasq.service': ['services', 'dnsmasq', 'enable'],
  'haproxy.service': ['services', 'haproxy', 'enable'],
  'prometheus-node-exporter.service': ['services', 'prometheus', 'exporters', 'node', 'enable'],
  'tailscaled.service': ['services', 'tailscale', 'enable'],
  'power-profiles-daemon.service': ['services', 'power-profiles-daemon', 'enable'],
  'gdm.service': ['services', 'xserver', 'displayManager', 'gdm', 'enable'],
};

/** Units whose NixOS option another section sets, and where it comes from instead. */
export const SET_BY_OTHER_SECTIONS: Readonly<Record<string, string>> = {
  'systemd-networkd.service':
    'systemd.network.enable is set by the network section, to true when networkd files were captured',
};

/** Unit-file states that record an admin's choice NixOS can express: on, or off. */
export function enableFlagOf(state: string): boolean | undefined {
  if (state === 'enabled') return true;
  if (state === 'disabled' || state === 'masked') return false;
  return undefined;
}
