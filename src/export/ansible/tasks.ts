// Tasks and handlers more than one plugin gives a playbook: admin files copied, linked or masked under /etc,
// their parent directories, and the handlers that make systemd, sysctl and networkd pick the files up.

import { toDisplayPath } from '../../state/json-path.js';
import { REDACTED } from '../../state/redact.js';
import { compareStrings } from '../../util/order.js';
import type { NotExported } from '../nix/contribution.js';
import type { AnsibleStep, AnsibleTask } from './contribution.js';

export const DAEMON_RELOAD = 'Reload systemd unit files';
export const SYSCTL_RELOAD = 'Apply sysctl settings';
export const MODULES_RELOAD = 'Load kernel modules';
export const NETWORKD_RELOAD = 'Reload systemd-networkd';

export type HandlerName =
  | typeof DAEMON_RELOAD
  | typeof SYSCTL_RELOAD
  | typeof MODULES_RELOAD
  | typeof NETWORKD_RELOAD;

const restart = (name: string, unit: string, state: 'restarted' | 'reloaded'): AnsibleTask => ({
  name,
  'ansible.builtin.systemd_service': { name: unit, state },
});

/** Every handler a plugin may notify, by name; a plugin lists the ones it notifies in its contribution. */
export const HANDLERS: Record<HandlerName, AnsibleTask> = {
  [DAEMON_RELOAD]: { name: DAEMON_RELOAD, 'ansible.builtin.systemd_service': { daemon_reload: true } },
  // systemd-sysctl and systemd-modules-load are oneshots that apply every file again when restarted.
  [SYSCTL_RELOAD]: restart(SYSCTL_RELOAD, 'systemd-sysctl.service', 'restarted'),
  [MODULES_RELOAD]: restart(MODULES_RELOAD, 'systemd-modules-load.service', 'restarted'),
  // networkd re-reads its files and reconfigures the links they change (`networkctl reload`).
  [NETWORKD_RELOAD]: restart(NETWORKD_RELOAD, 'systemd-networkd.service', 'reloaded'),
};

/** An admin file as a section holds it: content, a mask (symlink to /dev/null) or a symlink. */
export type AdminFileEntry = { content: string } | { masked: true } | { linkTo: string };

const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/'));

/**
 * Tasks that put admin files in place: the parent directories first (copy does not create them), then file
 * contents, then symlinks and masks (forced: a link may replace a file, and may point at a file made here).
 * Files whose content holds redacted secrets cannot be written and are listed instead.
 */
export function adminFileSteps(
  files: Record<string, AdminFileEntry>,
  section: string[],
  notify: HandlerName | ((path: string) => HandlerName | undefined) | undefined,
): { steps: AnsibleStep[]; unsupported: NotExported[] } {
  const notifies = (path: string) => {
    const handler = typeof notify === 'function' ? notify(path) : notify;
    return handler ? { notify: [handler] } : {};
  };
  const directories = new Set<string>();
  const contents: AnsibleTask[] = [];
  const links: AnsibleTask[] = [];
  const unsupported: NotExported[] = [];
  for (const [path, file] of Object.entries(files).sort(([a], [b]) => compareStrings(a, b))) {
    if ('content' in file && file.content.includes(REDACTED)) {
      unsupported.push({
        item: toDisplayPath([...section, path, 'content']),
        reason: 'holds secrets the capture withheld; copy the real file by other means',
      });
      continue;
    }
    if (parentOf(path) !== '/etc') directories.add(parentOf(path));
    if ('content' in file)
      contents.push({
        name: `Write ${path}`,
        'ansible.builtin.copy': {
          dest: path,
          content: file.content,
          owner: 'root',
          group: 'root',
          mode: '0644',
        },
        ...notifies(path),
      });
    else {
      const target = 'masked' in file ? '/dev/null' : file.linkTo;
      links.push({
        name: 'masked' in file ? `Mask ${path}` : `Link ${path} to ${target}`,
        'ansible.builtin.file': { path, src: target, state: 'link', force: true },
        ...notifies(path),
      });
    }
  }
  const directoryTasks = [...directories].sort(compareStrings).map((path) => ({
    name: `Directory ${path}`,
    'ansible.builtin.file': { path, state: 'directory' },
  }));
  const steps = [...directoryTasks, ...contents, ...links].map((task) => ({ phase: 'files' as const, task }));
  return { steps, unsupported };
}

/** The handlers the steps notify, each once. */
export function notifiedHandlers(steps: readonly AnsibleStep[]): AnsibleTask[] {
  const names = new Set(steps.flatMap((step) => (step.task.notify as HandlerName[] | undefined) ?? []));
  return [...names].sort(compareStrings).map((name) => HANDLERS[name]);
}
