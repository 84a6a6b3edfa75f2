// Picks the settings an operator looks at first out of a networkd file (which links it matches, what it
// names or creates, which addresses, DHCP, routes), read with the unit-file parser networkd's syntax shares.
import { assignedValues, parseUnitFile } from '../systemd/parse-unit-file.js';
import type { NetworkdFileKind } from './schema.js';

const MATCH_KEYS = [
  'Match.Kind',
  'Match.Name',
  'Match.MACAddress',
  'Match.PermanentMACAddress',
  'Match.OriginalName',
  'Match.Type',
  'Match.Driver',
  'Match.Path',
];

const SUMMARY_KEYS: Record<NetworkdFileKind, readonly string[]> = {
  network: [
    ...MATCH_KEYS,
    'Network.DHCP',
    'Network.Address',
    'Network.Gateway',
    'Network.DNS',
    'Network.Domains',
    'Network.Bridge',
    'Network.Bond',
    'Network.VLAN',
    'Network.VRF',
    'Network.Tunnel',
    'Network.LinkLocalAddressing',
    'Network.IPv6AcceptRA',
    'Address.Address',
    'Route.Destination',
    'Route.Gateway',
    'Link.MTUBytes',
    'Link.RequiredForOnline',
    'Link.Unmanaged',
  ],
  netdev: [
    ...MATCH_KEYS,
    'NetDev.Name',
    'NetDev.Kind',
    'NetDev.MTUBytes',
    'NetDev.MACAddress',
    'VLAN.Id',
    'Bond.Mode',
    'Bridge.STP',
    'WireGuard.ListenPort',
    'WireGuardPeer.PublicKey',
    'WireGuardPeer.AllowedIPs',
    'WireGuardPeer.Endpoint',
  ],
  link: [
    ...MATCH_KEYS,
    'Link.Name',
    'Link.NamePolicy',
    'Link.MACAddressPolicy',
    'Link.MACAddress',
    'Link.MTUBytes',
  ],
};

/** `Section.Key` → every value assigned, in file order; settings that are not assigned are left out. */
export function summarizeNetworkdFile(kind: NetworkdFileKind, text: string): Record<string, string[]> {
  const parsed = parseUnitFile(text);
  const summary: Record<string, string[]> = {};
  for (const setting of SUMMARY_KEYS[kind]) {
    const [section, key] = setting.split('.') as [string, string];
    const values = assignedValues(parsed, section, key);
    if (values.length > 0) summary[setting] = values;
  }
  return summary;
}
