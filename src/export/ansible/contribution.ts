// What a plugin contributes to a generated Ansible playbook: tasks and handlers using only modules Debian's
// `ansible` package ships, and what it could not express (listed in the output, never dropped silently).
import type { NotExported } from '../nix/contribution.js';

/** One task or handler as YAML will print it: `{ name, 'ansible.builtin.copy': {…}, notify: [...] }`. */
export type AnsibleTask = Record<string, unknown>;

export interface AnsibleContribution {
  tasks: AnsibleTask[];
  handlers: AnsibleTask[];
  unsupported: NotExported[];
}
