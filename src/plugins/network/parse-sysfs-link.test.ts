import { describe, expect, it } from 'vitest';
import { arphrdName, parseSysfsLink } from './parse-sysfs-link.js';

describe('parseSysfsLink', () => {
  it('reads an Ethernet device with its driver', () => {
    expect(
      parseSysfsLink({
        name: 'enp1s0',
        ifindex: '2\n',
        type: '1\n',
        address: '52:54:00:AB:CD:EF\n',
        mtu: '1500\n',
        operstate: 'up\n',
        uevent: 'INTERFACE=enp1s0\nIFINDEX=2\n',
        driverLink: '../../../../bus/pci/drivers/virtio_net',
      }),
    ).toEqual({
      index: 2,
      name: 'enp1s0',
      type: 'ether',
      kind: null,
      driver: 'virtio_net',
      mac: '52:54:00:ab:cd:ef',
      mtu: 1500,
      operState: 'up',
      addresses: null,
      networkd: null,
    });
  });

  it('reads loopback without a MAC and a bridge kind from uevent', () => {
    const lo = parseSysfsLink({
      name: 'lo',
      ifindex: '1',
      type: '772',
      address: '00:00:00:00:00:00',
      mtu: '65536',
      operstate: 'unknown',
    });
    expect(lo).toMatchObject({ type: 'loopback', mac: null, kind: null, driver: null, operState: 'unknown' });
    const br = parseSysfsLink({
      name: 'br0',
      ifindex: '5',
      type: '1',
      uevent: 'DEVTYPE=bridge\nINTERFACE=br0\nIFINDEX=5\n',
    });
    expect(br).toMatchObject({ kind: 'bridge', mac: null, mtu: 0, operState: 'unknown' });
  });

  it('names tunnel types and keeps unknown numbers visible', () => {
    const wg = parseSysfsLink({
      name: 'wg0',
      ifindex: '7',
      type: '65534',
      address: '',
      mtu: '1420',
      uevent: 'DEVTYPE=wireguard\n',
    });
    expect(wg).toMatchObject({ type: 'none', kind: 'wireguard', mac: null, mtu: 1420 });
    expect(arphrdName(9999)).toBe('arphrd-9999');
    expect(parseSysfsLink({ name: 'x', ifindex: '8' })?.type).toBe('unknown');
  });

  it('rejects directories without a usable interface index', () => {
    expect(parseSysfsLink({ name: 'bonding_masters' })).toBeUndefined();
    expect(parseSysfsLink({ name: 'weird', ifindex: 'abc' })).toBeUndefined();
    expect(parseSysfsLink({ name: 'zero', ifindex: '0' })).toBeUndefined();
  });
});
