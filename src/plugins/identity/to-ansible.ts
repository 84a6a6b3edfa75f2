// The identity section as Ansible tasks: the static hostname, machine-info (pretty name, chassis, deployment,
// location, icon) line by line, and the time zone with its hardware-clock mode; NTP, locale and keyboard have
// no module and are listed instead.
import type { AnsibleContribution, AnsibleStep, AnsibleTask } from '../../export/ansible/contribution.js';
import type { NotExported } from '../../export/nix/contribution.js';
import { toDisplayPath } from '../../state/json-path.js';
import { quoteShellWord } from '../kernel/shell-assignments.js';
import type { IdentityConfig } from './schema.js';

const MACHINE_INFO_PATH = '/etc/machine-info';
const MACHINE_INFO = [
  ['prettyHostname', 'PRETTY_HOSTNAME'],
  ['chassis', 'CHASSIS'],
  ['deployment', 'DEPLOYMENT'],
  ['location', 'LOCATION'],
  ['iconName', 'ICON_NAME'],
] as const;

/** One machine-info variable set (quoted as systemd's env-file parser reads it) or, when null, removed. */
function machineInfoTask(variable: string, value: string | null): AnsibleTask {
  const lineinfile = { path: MACHINE_INFO_PATH, regexp: `^${variable}=` };
  return value === null
    ? {
        name: `${variable} unset in ${MACHINE_INFO_PATH}`,
        'ansible.builtin.lineinfile': { ...lineinfile, state: 'absent' },
      }
    : {
        name: `${variable} in ${MACHINE_INFO_PATH}`,
        'ansible.builtin.lineinfile': {
          ...lineinfile,
          line: `${variable}=${quoteShellWord(value)}`,
          create: true,
          owner: 'root',
          group: 'root',
          mode: '0644',
        },
      };
}

const at = (...path: string[]) => toDisplayPath(['sections', 'identity', 'config', ...path]);

export function identityToAnsible(config: IdentityConfig): AnsibleContribution {
  const tasks: AnsibleStep[] = [];
  const unsupported: NotExported[] = [];
  const { hostname, time, locale } = config;
  if (hostname.staticHostname !== null)
    tasks.push({
      phase: 'identity',
      task: {
        name: `Set the static hostname to ${hostname.staticHostname}`,
        'ansible.builtin.hostname': { name: hostname.staticHostname, use: 'systemd' },
      },
    });
  // The hostname module sets the pretty name as well (hostnamectl --pretty --static): machine-info follows it.
  for (const [name, variable] of MACHINE_INFO)
    tasks.push({ phase: 'identity', task: machineInfoTask(variable, hostname[name]) });
  if (time.timezone !== null || time.localRtc !== null)
    tasks.push({
      phase: 'identity',
      task: {
        name: `Set the time zone${time.timezone === null ? '' : ` to ${time.timezone}`}`,
        'community.general.timezone': {
          ...(time.timezone === null ? {} : { name: time.timezone }),
          ...(time.localRtc === null ? {} : { hwclock: time.localRtc ? 'local' : 'UTC' }),
        },
      },
    });
  if (time.ntp !== null)
    unsupported.push({
      item: at('time', 'ntp'),
      reason: 'no module switches network time sync (timedatectl set-ntp)',
    });
  for (const name of Object.keys(locale.variables))
    unsupported.push({
      item: at('locale', 'variables', name),
      reason: 'no module sets the system locale (community.general.locale_gen only generates locales)',
    });
  for (const name of [
    'vconsoleKeymap',
    'vconsoleKeymapToggle',
    'x11Layout',
    'x11Model',
    'x11Variant',
    'x11Options',
  ] as const)
    if (locale[name] !== null)
      unsupported.push({ item: at('locale', name), reason: 'no module sets the keyboard (localectl)' });
  return { tasks, handlers: [], unsupported };
}
