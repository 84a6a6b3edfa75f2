// The packages section as one apt task installing every manually installed package; dependencies come
// with them. The playbook never removes packages and does not pin the captured versions, and says so.
import type { AnsibleContribution } from '../../export/ansible/contribution.js';
import type { NotExported } from '../../export/nix/contribution.js';
import { compareStrings } from '../../util/order.js';
import type { PackagesConfig } from './schema.js';

const SECTION = '$.sections.packages.config.packages';

export function packagesToAnsible(config: PackagesConfig): AnsibleContribution {
  const entries = Object.entries(config.packages);
  const manual = entries
    .filter(([, found]) => found.manual)
    .map(([name]) => name)
    .sort(compareStrings);
  const unsupported: NotExported[] = [];
  if (entries.length > 0)
    unsupported.push({
      item: `${SECTION}[*].version`,
      reason:
        "apt installs the repositories' candidate versions, not the captured ones; packages not in the capture are never removed",
    });
  if (manual.length < entries.length)
    unsupported.push({
      item: `${SECTION}[*].manual`,
      reason: `${entries.length - manual.length} automatically installed packages are left to apt's dependency resolution, not installed by name`,
    });
  const tasks =
    manual.length === 0
      ? []
      : [
          {
            phase: 'packages' as const,
            task: {
              name: `Install the ${manual.length} manually installed packages`,
              'ansible.builtin.apt': { name: manual, state: 'present', install_recommends: false },
            },
          },
        ];
  return { tasks, handlers: [], unsupported };
}
