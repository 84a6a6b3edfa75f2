// The kernel section as Ansible tasks: the admin's sysctl.d, modules-load.d and modprobe.d files copied,
// linked or masked (sysctl and module loading re-run through their systemd services), and the configured
// command line set in /etc/default/grub, which takes effect at the next boot after update-grub.
import type { AnsibleContribution, AnsibleStep } from '../../export/ansible/contribution.js';
import {
  adminFileSteps,
  type HandlerName,
  MODULES_RELOAD,
  notifiedHandlers,
  SYSCTL_RELOAD,
} from '../../export/ansible/tasks.js';
import { adminFileSetOf } from './admin-paths.js';
import type { KernelConfig } from './schema.js';
import { GRUB_DEFAULT_PATH } from './schema.js';
import { quoteShellWord } from './shell-assignments.js';

const HANDLER_OF_FAMILY: Record<string, HandlerName | undefined> = {
  sysctl: SYSCTL_RELOAD,
  'modules-load': MODULES_RELOAD,
  // modprobe.d is read whenever a module is loaded: nothing to re-run.
  modprobe: undefined,
};

function commandLineStep(commandLine: readonly string[]): AnsibleStep {
  return {
    phase: 'files',
    task: {
      name: `Kernel parameters for the next boot in ${GRUB_DEFAULT_PATH} (pending reboot: run update-grub, then reboot; GRUB_CMDLINE_LINUX is left as it is)`,
      'ansible.builtin.lineinfile': {
        path: GRUB_DEFAULT_PATH,
        regexp: '^GRUB_CMDLINE_LINUX_DEFAULT=',
        line: `GRUB_CMDLINE_LINUX_DEFAULT=${quoteShellWord(commandLine.join(' '))}`,
        create: true,
        owner: 'root',
        group: 'root',
        mode: '0644',
      },
    },
  };
}

export function kernelToAnsible(config: KernelConfig): AnsibleContribution {
  const files = adminFileSteps(
    config.files,
    ['sections', 'kernel', 'config', 'files'],
    (path) => HANDLER_OF_FAMILY[adminFileSetOf(path)?.family ?? ''],
  );
  const tasks =
    config.commandLine === null ? files.steps : [...files.steps, commandLineStep(config.commandLine)];
  return { tasks, handlers: notifiedHandlers(files.steps), unsupported: files.unsupported };
}
