import { describe, expect, it } from 'vitest';
import { serviceUnitText } from './systemd-unit.js';

describe('serviceUnitText', () => {
  it('starts `dbus serve` as a Type=dbus service on org.opdbus', () => {
    const text = serviceUnitText({
      node: '/usr/bin/node',
      entryPoint: '/usr/lib/node_modules/op-dbus/bin/op-dbus.js',
    });
    expect(text).toContain('Type=dbus\nBusName=org.opdbus\n');
    expect(text).toContain(
      'ExecStart=/usr/bin/node /usr/lib/node_modules/op-dbus/bin/op-dbus.js dbus serve\n',
    );
    expect(text).toContain('WantedBy=multi-user.target');
  });

  it('quotes paths with spaces or quotes the way systemd reads them', () => {
    const text = serviceUnitText({ node: '/opt/my node/bin/node', entryPoint: '/opt/x "y"/op-dbus.js' });
    expect(text).toContain('ExecStart="/opt/my node/bin/node" "/opt/x \\"y\\"/op-dbus.js" dbus serve');
  });
});
