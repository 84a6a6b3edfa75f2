// The shared plugin conformance suite, run against a real systemd container with secrets planted in it.
import { afterAll, beforeAll } from 'vitest';
import { describePluginConformance } from '../conformance/plugin-conformance.js';
import { execInTarget, machineFor, target } from './testbed-env.js';

const SECRET = 'conformance-live-secret-51c2e8';
const UNIT = '/etc/systemd/system/opdbus-conformance.service';
const NETDEV = '/etc/systemd/network/90-opdbus-conformance.netdev';
const BRIDGE = 'opconf0';

beforeAll(async () => {
  await execInTarget(target(0), [
    'sh',
    '-c',
    `printf '[Service]\\nEnvironment=DB_PASSWORD=${SECRET}\\nExecStart=/bin/true --api-token ${SECRET}\\n' > ${UNIT}
     && printf '[NetDev]\\nName=wgtest\\nKind=wireguard\\n[WireGuard]\\nPrivateKey=${SECRET}\\n' > ${NETDEV}
     && systemctl daemon-reload`.replaceAll('\n', ' '),
  ]);
  // An IPsec pre-shared key on a GRE interface of the target's own Open vSwitch.
  await execInTarget(target(0), [
    'ovs-vsctl',
    '--no-wait',
    'add-br',
    BRIDGE,
    '--',
    'set',
    'Bridge',
    BRIDGE,
    'datapath_type=netdev',
    '--',
    'add-port',
    BRIDGE,
    'opgre0',
    '--',
    'set',
    'Interface',
    'opgre0',
    'type=gre',
    'options:remote_ip=10.0.0.1',
    `options:psk=${SECRET}`,
  ]);
});

afterAll(async () => {
  await execInTarget(target(0), ['sh', '-c', `rm -f ${UNIT} ${NETDEV} && systemctl daemon-reload`]);
  await execInTarget(target(0), ['ovs-vsctl', '--no-wait', '--if-exists', 'del-br', BRIDGE]);
});

describePluginConformance({
  where: 'real systemd container',
  machine: () => machineFor(target(0)),
  plantedSecret: SECRET,
  mustBeAvailable: ['identity', 'systemd', 'kernel', 'packages', 'network', 'ovs', 'dbus-services'],
});
