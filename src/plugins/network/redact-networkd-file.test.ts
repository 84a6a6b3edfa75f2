import { describe, expect, it } from 'vitest';
import { REDACTED } from '../../state/redact.js';
import { redactNetworkdFile } from './redact-networkd-file.js';

describe('redactNetworkdFile', () => {
  it('withholds WireGuard private and preshared keys but keeps public keys and endpoints', () => {
    const netdev = `[NetDev]
Name=wg0
Kind=wireguard

[WireGuard]
PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
ListenPort=51820

[WireGuardPeer]
PublicKey=xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
PresharedKey=/UwcSPg38hW/D9Y3tcS1FOV0K1wuURMbS0sesJEP5ak=
AllowedIPs=10.0.0.2/32
Endpoint=192.0.2.1:51820
`;
    const { text, reasons } = redactNetworkdFile(netdev);
    expect(text).toContain(`PrivateKey = ${REDACTED}`);
    expect(text).toContain(`PresharedKey=${REDACTED}`);
    expect(text).toContain('PublicKey=xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=');
    expect(text).toContain('Endpoint=192.0.2.1:51820');
    expect(text).not.toContain('yAnz5TF');
    expect(text).not.toContain('/UwcSPg38');
    expect(reasons).toEqual(['secret-named setting PrivateKey', 'secret-named setting PresharedKey']);
  });

  it('withholds MACsec association keys but not other settings named Key elsewhere', () => {
    const netdev = `[MACsecReceiveAssociation]
Port=1
Key=dffafc8d7b9a43d5b9a3dfbbf6a30c16
KeyId=01

[MACsecTransmitAssociation]
Key= 0123456789abcdef0123456789abcdef

[Other]
Key=not-a-secret
`;
    const { text, reasons } = redactNetworkdFile(netdev);
    expect(text.match(new RegExp(REDACTED.replace(/[[\]]/g, '\\$&'), 'g'))).toHaveLength(2);
    expect(text).toContain('KeyId=01');
    expect(text).toContain('Key=not-a-secret');
    expect(reasons).toEqual([
      'networkd key MACsecReceiveAssociation.Key',
      'networkd key MACsecTransmitAssociation.Key',
    ]);
  });

  it('leaves ordinary files, comments and empty values alone', () => {
    const network = `# A host-only link
[Match]
Name=host0

[Network]
Address=10.250.1.2/30
LinkLocalAddressing=no

[WireGuardPeer]
PresharedKey=
`;
    expect(redactNetworkdFile(network)).toEqual({ text: network, reasons: [] });
    expect(redactNetworkdFile('')).toEqual({ text: '', reasons: [] });
  });
});
