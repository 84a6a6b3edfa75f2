import { describe, expect, it } from 'vitest';
import { bridgeNameProblem, interfaceNameProblem, netdevNameProblem, portNameProblem } from './names.js';

describe('netdevNameProblem', () => {
  it('accepts names Linux and OVS accept, up to 15 bytes', () => {
    for (const name of ['br0', 'br-int', 'eth0.10', 'vxlan_sys_4789', 'a', '123456789012345', 'mostek-ü'])
      expect(netdevNameProblem(name)).toBeUndefined();
  });

  it('names the rule each bad name breaks', () => {
    expect(netdevNameProblem('')).toBe('must not be empty');
    expect(netdevNameProblem('1234567890123456')).toMatch(/at most 15 bytes .*not 16/);
    // 8 two-byte characters: 8 characters but 16 bytes.
    expect(netdevNameProblem('ąąąąąąąą')).toMatch(/at most 15 bytes/);
    expect(netdevNameProblem('.')).toMatch(/"\." or "\.\."/);
    expect(netdevNameProblem('..')).toMatch(/"\." or "\.\."/);
    expect(netdevNameProblem('../etc')).toMatch(/"\/"/);
    expect(netdevNameProblem('eth0:1')).toMatch(/":"/);
    for (const name of ['br 0', 'br\t0', 'br0\n', 'br\u00000', 'br\u007f', 'br\u0085'])
      expect(netdevNameProblem(name)).toMatch(/whitespace or control/);
  });

  it('holds bridges, ports and interfaces to the same device rules', () => {
    for (const check of [bridgeNameProblem, portNameProblem, interfaceNameProblem]) {
      expect(check('br0')).toBeUndefined();
      expect(check('x'.repeat(16))).toMatch(/15 bytes/);
    }
  });
});
