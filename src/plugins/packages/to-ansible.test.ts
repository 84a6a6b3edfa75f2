import { describe, expect, it } from 'vitest';
import { packagesToAnsible } from './to-ansible.js';

const pkg = (manual: boolean) => ({ version: '1.0-1', architecture: 'amd64', manual });

describe('packagesToAnsible', () => {
  it('installs the manual packages in one apt task, foreign architectures by name:arch, never removing', () => {
    const { tasks, unsupported } = packagesToAnsible({
      packages: { zsh: pkg(true), libc6: pkg(false), 'wine:i386': pkg(true) },
    });
    expect(tasks).toEqual([
      {
        phase: 'packages',
        task: {
          name: 'Install the 2 manually installed packages',
          'ansible.builtin.apt': { name: ['wine:i386', 'zsh'], state: 'present', install_recommends: false },
        },
      },
    ]);
    expect(unsupported.map((entry) => entry.item)).toEqual([
      '$.sections.packages.config.packages[*].version',
      '$.sections.packages.config.packages[*].manual',
    ]);
  });

  it('gives nothing for an empty section', () => {
    expect(packagesToAnsible({ packages: {} })).toEqual({ tasks: [], handlers: [], unsupported: [] });
  });
});
