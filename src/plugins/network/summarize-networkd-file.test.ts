import { describe, expect, it } from 'vitest';
import { summarizeNetworkdFile } from './summarize-networkd-file.js';

describe('summarizeNetworkdFile', () => {
  it('summarizes a .network file: match, addresses from [Network] and [Address], DHCP, routes', () => {
    const text = `# static address for the container's veth
[Match]
Name=host0 eth*

[Network]
DHCP=no
Address=10.250.1.2/30
Address = fd00::2/64
Gateway=10.250.1.1
DNS=192.0.2.53
LinkLocalAddressing=no
IPv6AcceptRA=no
IgnoreCarrierLoss=yes

[Address]
Address=192.0.2.10/24

[Route]
Destination=198.51.100.0/24
Gateway=10.250.1.1
`;
    expect(summarizeNetworkdFile('network', text)).toEqual({
      'Match.Name': ['host0 eth*'],
      'Network.DHCP': ['no'],
      'Network.Address': ['10.250.1.2/30', 'fd00::2/64'],
      'Network.Gateway': ['10.250.1.1'],
      'Network.DNS': ['192.0.2.53'],
      'Network.LinkLocalAddressing': ['no'],
      'Network.IPv6AcceptRA': ['no'],
      'Address.Address': ['192.0.2.10/24'],
      'Route.Destination': ['198.51.100.0/24'],
      'Route.Gateway': ['10.250.1.1'],
    });
  });

  it('summarizes .netdev and .link files', () => {
    const netdev =
      '[NetDev]\nName=wg0\nKind=wireguard\n\n[WireGuard]\nPrivateKey=[REDACTED]\nListenPort=51820\n\n[WireGuardPeer]\nPublicKey=abc=\nAllowedIPs=10.0.0.2/32\n';
    expect(summarizeNetworkdFile('netdev', netdev)).toEqual({
      'NetDev.Name': ['wg0'],
      'NetDev.Kind': ['wireguard'],
      'WireGuard.ListenPort': ['51820'],
      'WireGuardPeer.PublicKey': ['abc='],
      'WireGuardPeer.AllowedIPs': ['10.0.0.2/32'],
    });
    const link = '[Match]\nMACAddress=52:54:00:ab:cd:ef\n\n[Link]\nName=lan0\nMACAddressPolicy=persistent\n';
    expect(summarizeNetworkdFile('link', link)).toEqual({
      'Match.MACAddress': ['52:54:00:ab:cd:ef'],
      'Link.Name': ['lan0'],
      'Link.MACAddressPolicy': ['persistent'],
    });
  });

  it('gives an empty summary for empty, masked or malformed files', () => {
    expect(summarizeNetworkdFile('network', '')).toEqual({});
    expect(summarizeNetworkdFile('network', 'Name=orphan\n[Match\nnonsense\n')).toEqual({});
  });
});
