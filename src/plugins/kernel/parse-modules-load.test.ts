import { describe, expect, it } from 'vitest';
import { parseModulesLoad } from './parse-modules-load.js';

describe('parseModulesLoad', () => {
  it("reads Debian's /etc/modules with both comment styles", () => {
    const text = [
      '# /etc/modules: kernel modules to load at boot time.',
      '#',
      '; old-style comment',
      '',
      'loop',
      '  br-netfilter  ',
      '8021q',
    ].join('\n');
    expect(parseModulesLoad(text)).toEqual({ modules: ['loop', 'br_netfilter', '8021q'], problems: [] });
  });

  it('keeps the module name but reports arguments systemd-modules-load cannot pass', () => {
    const { modules, problems } = parseModulesLoad('loop max_loop=64\n');
    expect(modules).toEqual(['loop']);
    expect(problems).toEqual([
      {
        line: 1,
        text: 'loop max_loop=64',
        reason: 'module arguments max_loop=64 are not applied; use options in modprobe.d',
      },
    ]);
  });

  it('accepts empty input', () => {
    expect(parseModulesLoad('')).toEqual({ modules: [], problems: [] });
  });
});
