// The network section as NixOS options: systemd.network.enable, and each networkd file under
// systemd.network.networks/links."<name>".extraConfig (the file text verbatim, which NixOS writes out as
// <name>.network/.link unchanged); .netdev files and drop-ins, which that form cannot hold, as
// environment.etc."systemd/network/…".text.
import type { NixContribution, NixOption, NotExported } from '../../export/nix/contribution.js';
import { REDACTED } from '../../state/redact.js';
import { NETWORKD_CONFIG_DIR } from './networkd-path.js';
import type { NetworkConfig } from './schema.js';

/** NixOS's attribute set per networkd file kind (netdevs need a structured netdevConfig, so use etc). */
const KIND_ATTRIBUTE = { network: 'networks', link: 'links' } as const;

export function networkToNix(config: NetworkConfig): NixContribution {
  const options: NixOption[] = [];
  const unmapped: NotExported[] = [];
  for (const [path, file] of Object.entries(config.files)) {
    const item = `$.sections.network.config.files[${JSON.stringify(path)}]`;
    if (file.masked) {
      unmapped.push({ item, reason: 'a mask of a vendor networkd file has no NixOS option' });
      continue;
    }
    if (file.content.includes(REDACTED)) {
      unmapped.push({ item, reason: 'the capture withheld a secret in it' });
      continue;
    }
    const relative = path.slice(NETWORKD_CONFIG_DIR.length + 1);
    const unitName = /^([^/]+)\.(network|link)$/.exec(relative);
    if (unitName && file.kind !== 'netdev') {
      options.push({
        path: ['systemd', 'network', KIND_ATTRIBUTE[file.kind], unitName[1] as string, 'extraConfig'],
        value: file.content,
      });
    } else {
      options.push({
        path: ['environment', 'etc', `systemd/network/${relative}`, 'text'],
        value: file.content,
      });
    }
  }
  if (options.length > 0) options.push({ path: ['systemd', 'network', 'enable'], value: true });
  return { options, unmapped };
}
