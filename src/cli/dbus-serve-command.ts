// `op-dbus dbus serve`: exports org.opdbus, org.openvswitch.ovsdb and dev.ovs.PortAgent1 on the machine's bus
// until SIGTERM or SIGINT, each caller's rights decided by the bus policy (`op-dbus dbus install-policy`).
import { Command } from '@commander-js/extra-typings';
import { openServiceHost } from '../dbus/service-host.js';
import { Machine } from '../machine/machine.js';
import { exportedServices } from '../services/exported-services.js';
import {
  busAddressOption,
  machineFromFlags,
  ovsdbOption,
  rootOption,
  timeoutOption,
} from './machine-options.js';

function logLine(message: string): void {
  process.stderr.write(`op-dbus dbus serve: ${message}\n`);
}

export function dbusServeCommand() {
  return new Command('serve')
    .description('export op-dbus and Open vSwitch management as D-Bus services on the machine bus')
    .addOption(busAddressOption())
    .addOption(rootOption())
    .addOption(timeoutOption())
    .addOption(ovsdbOption())
    .addHelpText(
      'after',
      '\nOwns org.opdbus (/org/opdbus), org.openvswitch.ovsdb (/org/openvswitch/ovsdb) and dev.ovs.PortAgent1\n(/dev/ovs/PortAgent1). Runs until SIGTERM or SIGINT. Needs the policy files of `op-dbus dbus install-policy`\non a system bus. Every change is recorded in the ledger with the calling uid.',
    )
    .action(async (options) => {
      const template = machineFromFlags(options);
      const openMachine = () =>
        new Machine({
          busAddress: template.busAddress,
          root: template.root,
          timeoutMs: template.timeoutMs,
          ovsdb: template.ovsdbAddress,
        });
      const host = await openServiceHost(template.busAddress, template.timeoutMs);
      const services = exportedServices({
        openMachine,
        events: host,
        ovsdbAddress: template.ovsdbAddress,
        timeoutMs: template.timeoutMs,
      });
      try {
        for (const object of services.objects) host.export(object);
        for (const name of services.names) await host.requestName(name);
      } catch (error) {
        services.close();
        host.close();
        throw error;
      }
      logLine(
        `serving ${services.names.join(', ')} on ${template.busAddress} (OVSDB ${template.ovsdbAddress})`,
      );
      const lost = await new Promise<Error | undefined>((resolve) => {
        const stop = (signal: string) => {
          logLine(`${signal}: stopping`);
          resolve(undefined);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
        void host.disconnected.then(resolve);
      });
      services.close();
      host.close();
      // A service that lost its bus is of no use: exit 1 so systemd's Restart=on-failure brings it back.
      if (lost) throw new Error(`lost the connection to the bus at ${template.busAddress}: ${lost.message}`);
    });
}
