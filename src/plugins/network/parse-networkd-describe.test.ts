import { describe, expect, it } from 'vitest';
import { parseNetworkdDescribe } from './parse-networkd-describe.js';

// Trimmed from a real systemd 252 (Debian bookworm) reply, plus a bridge with IPv6 addresses.
const DESCRIBE = JSON.stringify({
  Interfaces: [
    {
      Index: 3,
      Name: 'br0',
      Kind: 'bridge',
      Type: 'ether',
      Flags: 4099,
      FlagsString: 'up,broadcast,multicast',
      KernelOperationalState: 2,
      KernelOperationalStateString: 'down',
      MTU: 1500,
      HardwareAddress: [2, 66, 172, 17, 0, 1],
      AdministrativeState: 'configuring',
      OperationalState: 'no-carrier',
      CarrierState: 'no-carrier',
      AddressState: 'off',
      IPv4AddressState: 'off',
      IPv6AddressState: 'off',
      OnlineState: 'offline',
      NetworkFile: '/etc/systemd/network/10-br0.network',
      Addresses: [
        {
          Family: 10,
          Address: [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x42, 0xac, 0xff, 0xfe, 0x11, 0, 1],
          PrefixLength: 64,
          Scope: 253,
        },
        {
          Family: 10,
          Address: [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10],
          PrefixLength: 64,
        },
        { Family: 99, Address: [1, 2], PrefixLength: 8 },
      ],
      Routes: [],
    },
    {
      Index: 1,
      Name: 'lo',
      Type: 'loopback',
      Flags: 65609,
      KernelOperationalState: 0,
      KernelOperationalStateString: 'unknown',
      MTU: 65536,
      AdministrativeState: 'unmanaged',
      OperationalState: 'carrier',
      CarrierState: 'carrier',
      AddressState: 'off',
      OnlineState: null,
      Addresses: [
        {
          Family: 10,
          Address: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
          PrefixLength: 128,
          ConfigSource: 'foreign',
        },
        { Family: 2, Address: [127, 0, 0, 1], PrefixLength: 8, ConfigSource: 'foreign' },
      ],
    },
    {
      Index: 2,
      Name: 'host0',
      Kind: 'veth',
      Type: 'ether',
      Driver: 'veth',
      KernelOperationalStateString: 'up',
      MTU: 1500,
      HardwareAddress: [26, 29, 100, 138, 22, 5],
      BroadcastAddress: [255, 255, 255, 255, 255, 255],
      AdministrativeState: 'configured',
      OperationalState: 'routable',
      CarrierState: 'carrier',
      AddressState: 'routable',
      OnlineState: 'online',
      NetworkFile: '/etc/systemd/network/80-container-host0.network',
      Addresses: [{ Family: 2, Address: [10, 250, 1, 2], Broadcast: [10, 250, 1, 3], PrefixLength: 30 }],
    },
  ],
  RoutingPolicyRules: [],
});

describe('parseNetworkdDescribe', () => {
  it('reads every link, sorted by index, with addresses in CIDR notation', () => {
    const links = parseNetworkdDescribe(DESCRIBE);
    expect(links.map((link) => link.name)).toEqual(['lo', 'host0', 'br0']);
    expect(links[0]).toEqual({
      index: 1,
      name: 'lo',
      type: 'loopback',
      kind: null,
      driver: null,
      mac: null,
      mtu: 65536,
      operState: 'unknown',
      addresses: ['::1/128', '127.0.0.1/8'],
      networkd: {
        administrativeState: 'unmanaged',
        operationalState: 'carrier',
        carrierState: 'carrier',
        addressState: 'off',
        onlineState: null,
        networkFile: null,
      },
    });
    expect(links[1]).toMatchObject({
      kind: 'veth',
      driver: 'veth',
      mac: '1a:1d:64:8a:16:05',
      operState: 'up',
      addresses: ['10.250.1.2/30'],
      networkd: {
        administrativeState: 'configured',
        networkFile: '/etc/systemd/network/80-container-host0.network',
      },
    });
    expect(links[2]?.addresses).toEqual(['fe80::42:acff:fe11:1/64', '2001:db8::10/64']);
  });

  it('reads SetupState when a newer networkd names the setup state that way', () => {
    const json = JSON.stringify({
      Interfaces: [
        { Index: 4, Name: 'wg0', Kind: 'wireguard', Type: 'none', MTU: 1420, SetupState: 'configured' },
      ],
    });
    const [link] = parseNetworkdDescribe(json);
    expect(link?.networkd?.administrativeState).toBe('configured');
    expect(link?.type).toBe('none');
    expect(link?.addresses).toEqual([]);
  });

  it('treats a reply without Interfaces as no links', () => {
    expect(parseNetworkdDescribe('{}')).toEqual([]);
  });

  it('names the offending place when the reply is malformed', () => {
    expect(() => parseNetworkdDescribe('not json')).toThrow(/did not return JSON/);
    expect(() => parseNetworkdDescribe('{"Interfaces":[{"Index":"one","Name":"lo","MTU":1}]}')).toThrow(
      /Interfaces\.0\.Index/,
    );
  });
});
