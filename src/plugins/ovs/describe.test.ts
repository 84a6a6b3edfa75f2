import { describe, expect, it } from 'vitest';
import { describeDifference, describeSettingValue } from './describe.js';

describe('describeDifference', () => {
  it('lists created and deleted items by path, and updates with each setting before and after', () => {
    expect(describeDifference({ action: 'create', kind: 'bridge', path: ['br0'] })).toBe('+ bridge br0');
    expect(describeDifference({ action: 'delete', kind: 'port', path: ['br1', 'old'] })).toBe(
      '- port br1/old',
    );
    expect(
      describeDifference({
        action: 'update',
        kind: 'interface',
        path: ['br0', 'vx0', 'vx0'],
        settings: [
          { setting: 'options', before: { key: '1' }, after: { key: '2', remote_ip: '10.0.0.2' } },
          { setting: 'type', before: '', after: 'vxlan' },
          { setting: 'mtuRequest', before: 1400, after: null },
        ],
      }),
    ).toBe(
      '~ interface br0/vx0/vx0 options {key=1} → {key=2, remote_ip=10.0.0.2}, type "" → vxlan, mtuRequest 1400 → unset',
    );
  });

  it('spells sets with brackets and the empty set as []', () => {
    expect(describeSettingValue([20, 30])).toBe('[20, 30]');
    expect(describeSettingValue([])).toBe('[]');
    expect(describeSettingValue({})).toBe('{}');
    expect(describeSettingValue(false)).toBe('false');
  });
});
