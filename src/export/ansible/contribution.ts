// What a plugin contributes to a generated Ansible playbook: tasks and handlers using only modules Debian's
// `ansible` package ships, and what it could not express (listed in the output, never dropped silently).
import type { NotExported } from '../nix/contribution.js';

/** One task or handler as YAML will print it: `{ name, 'ansible.builtin.copy': {…}, notify: [...] }`. */
export type AnsibleTask = Record<string, unknown>;

/**
 * When a task runs in the play: packages first (they ship units and directories), then files, then the
 * handlers are flushed (daemon-reload) so enablement and run state see the new units, then identity.
 */
export const ANSIBLE_PHASES = ['packages', 'files', 'enablement', 'identity'] as const;
export type AnsiblePhase = (typeof ANSIBLE_PHASES)[number];

export interface AnsibleStep {
  phase: AnsiblePhase;
  task: AnsibleTask;
}

export interface AnsibleContribution {
  tasks: AnsibleStep[];
  handlers: AnsibleTask[];
  unsupported: NotExported[];
}
