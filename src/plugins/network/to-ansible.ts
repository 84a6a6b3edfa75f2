// The network section as Ansible tasks: networkd's files copied or masked under /etc/systemd/network, and
// networkd reloaded (systemd_service state=reloaded, as `networkctl reload`) so the links pick them up.
import type { AnsibleContribution } from '../../export/ansible/contribution.js';
import { adminFileSteps, NETWORKD_RELOAD, notifiedHandlers } from '../../export/ansible/tasks.js';
import type { NetworkConfig } from './schema.js';

export function networkToAnsible(config: NetworkConfig): AnsibleContribution {
  const entries = Object.entries(config.files).map(([path, file]) => [
    path,
    file.masked ? { masked: true as const } : { content: file.content },
  ]);
  const files = adminFileSteps(
    Object.fromEntries(entries),
    ['sections', 'network', 'config', 'files'],
    NETWORKD_RELOAD,
  );
  return { tasks: files.steps, handlers: notifiedHandlers(files.steps), unsupported: files.unsupported };
}
