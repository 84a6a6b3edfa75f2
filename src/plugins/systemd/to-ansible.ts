// The systemd section as Ansible tasks: admin unit files and drop-ins copied (daemon-reload notified), then
// one systemd_service task per unit whose enablement or run state is an admin's choice.
import type { AnsibleContribution, AnsibleStep } from '../../export/ansible/contribution.js';
import { adminFileSteps, DAEMON_RELOAD, notifiedHandlers } from '../../export/ansible/tasks.js';
import type { NotExported } from '../../export/nix/contribution.js';
import { toDisplayPath } from '../../state/json-path.js';
import { compareStrings } from '../../util/order.js';
import { parseUnitName } from '../shared/unit-name.js';
import type { SystemdConfig } from './schema.js';

const at = (...path: string[]) => toDisplayPath(['sections', 'systemd', 'config', ...path]);

/** What systemd_service is told for each unit-file state it can set; the others come with the unit files. */
const ENABLEMENT: Record<string, Record<string, boolean>> = {
  enabled: { enabled: true, masked: false },
  disabled: { enabled: false, masked: false },
  masked: { masked: true },
};
const RUNTIME_STATES = new Set(['enabled-runtime', 'masked-runtime']);

export function systemdToAnsible(config: SystemdConfig): AnsibleContribution {
  const files = adminFileSteps(config.files, ['sections', 'systemd', 'config', 'files'], DAEMON_RELOAD);
  const unsupported: NotExported[] = [...files.unsupported];
  if (config.defaultTarget !== null)
    unsupported.push({
      item: at('defaultTarget'),
      reason: `no module sets the default target (systemctl set-default ${config.defaultTarget})`,
    });
  const units = new Set([...Object.keys(config.unitFiles), ...Object.keys(config.activeState)]);
  const tasks: AnsibleStep[] = [];
  for (const unit of [...units].sort(compareStrings)) {
    const fileState = config.unitFiles[unit];
    let enablement = fileState === undefined ? undefined : ENABLEMENT[fileState];
    if (fileState && RUNTIME_STATES.has(fileState))
      unsupported.push({
        item: at('unitFiles', unit),
        reason: `${fileState}: systemd_service has no --runtime; it lasts until the next boot only`,
      });
    if (enablement && parseUnitName(unit)?.kind === 'template' && fileState !== 'masked') {
      unsupported.push({
        item: at('unitFiles', unit),
        reason: `${fileState} template: its instances are enabled by name, which the capture does not hold`,
      });
      enablement = undefined;
    }
    const running = config.activeState[unit];
    const state = running === undefined ? {} : { state: running === 'active' ? 'started' : 'stopped' };
    if (!enablement && running === undefined) continue;
    const words = [
      enablement ? (fileState as string) : undefined,
      running === undefined ? undefined : running === 'active' ? 'running' : 'stopped',
    ].filter(Boolean);
    tasks.push({
      phase: 'enablement',
      task: {
        name: `${unit}: ${words.join(', ')}`,
        'ansible.builtin.systemd_service': { name: unit, ...enablement, ...state },
      },
    });
  }
  return { tasks: [...files.steps, ...tasks], handlers: notifiedHandlers(files.steps), unsupported };
}
