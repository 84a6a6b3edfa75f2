import { describe, expect, it } from 'vitest';
import type { Change, Unresolved } from '../engine/change.js';
import type { MachinePlan } from '../engine/plan.js';
import { planJson, planSummary, renderChange, renderPlan, renderUnresolved } from './render-plan.js';

const plain = { color: false };

function change(overrides: Partial<Change>): Change {
  return {
    id: 'systemd:unit-file:/etc/systemd/system/app.service',
    plugin: 'systemd',
    kind: 'unit-file',
    action: 'create',
    target: '/etc/systemd/system/app.service',
    phase: 'files',
    description: 'create /etc/systemd/system/app.service with 12 bytes',
    reason: 'the desired state has this file and the machine does not',
    risk: 'low',
    ...overrides,
  };
}

const create = change({});
const update = change({
  id: 'systemd:run-state:ssh.service',
  action: 'update',
  description: 'restart ssh.service',
  reason: 'it is running and its unit file or drop-in changes',
  risk: 'high',
  riskNote: 'ssh.service is remote access: the connection you may be using',
});
const remove = change({
  id: 'kernel:sysctl-file:/etc/sysctl.d/x.conf',
  plugin: 'kernel',
  action: 'delete',
  description: 'remove /etc/sysctl.d/x.conf',
  reason: 'the machine has this file and the desired state does not',
  risk: 'medium',
  pendingReboot: true,
});
const blocking: Unresolved = {
  plugin: 'systemd',
  path: '$.sections.systemd.config.files["/etc/systemd/system/db.service"]',
  description: 'its desired content has secrets that were redacted',
  blocking: true,
};
const vendor: Unresolved = {
  plugin: 'systemd',
  path: '$.sections.systemd.config.unitFiles["cron.service"]',
  description: 'that state comes with the unit file',
  expected: 'static',
  actual: 'disabled',
  blocking: false,
};

function planOf(
  changes: Change[],
  unresolved: Unresolved[] = [],
  skipped: MachinePlan['skipped'] = [],
): MachinePlan {
  return { changes, unresolved, skipped, planned: ['systemd', 'kernel'], hash: 'a'.repeat(64) };
}

describe('renderChange', () => {
  it('shows the action symbol, what and why, and no risk line for low risk', () => {
    expect(renderChange(create, plain)).toBe(
      [
        '  + create /etc/systemd/system/app.service with 12 bytes',
        '      why: the desired state has this file and the machine does not',
      ].join('\n'),
    );
  });

  it('adds the risk and its note, and marks what takes effect after a reboot', () => {
    expect(renderChange(update, plain).split('\n')).toEqual([
      '  ~ restart ssh.service',
      '      why: it is running and its unit file or drop-in changes',
      '      risk: high — ssh.service is remote access: the connection you may be using',
    ]);
    expect(renderChange(remove, plain).split('\n')).toEqual([
      '  - remove /etc/sysctl.d/x.conf (after reboot)',
      '      why: the machine has this file and the desired state does not',
      '      risk: medium',
    ]);
  });

  it('colours only when asked', () => {
    expect(renderChange(create, { color: true })).toContain('create /etc/systemd/system/app.service');
    expect(renderChange(create, plain)).not.toContain('\u001b[');
  });
});

describe('renderUnresolved', () => {
  it('names the JSON path, the values when known, and whether it blocks apply', () => {
    expect(renderUnresolved([blocking, vendor], plain)).toEqual([
      `  ! ${blocking.path}: its desired content has secrets that were redacted [blocks apply]`,
      `  ! ${vendor.path}: that state comes with the unit file (expected static, actual disabled)`,
    ]);
  });

  it('shortens long values to one line', () => {
    const [line] = renderUnresolved(
      [{ ...vendor, expected: `${'x'.repeat(40)}\n${'y'.repeat(40)}`, actual: undefined }],
      plain,
    );
    expect(line).toContain(`(expected ${'x'.repeat(40)}⏎${'y'.repeat(16)}…, actual (none))`);
  });
});

describe('planSummary', () => {
  it('counts changes by action, and unresolved items with the blocking ones', () => {
    expect(planSummary(planOf([create, update, remove, update]))).toBe(
      'Plan: 1 to create, 2 to change, 1 to remove.',
    );
    expect(planSummary(planOf([create], [blocking, vendor]))).toBe(
      'Plan: 1 to create, 0 to change, 0 to remove. 2 unresolved (1 blocking).',
    );
    expect(planSummary(planOf([], [vendor]))).toBe(
      'Plan: 0 to create, 0 to change, 0 to remove. 1 unresolved.',
    );
  });
});

describe('renderPlan', () => {
  it('groups changes by section in plan order, then unresolved items, skipped sections and the summary', () => {
    const text = renderPlan(
      planOf([create, remove, update], [blocking], [{ plugin: 'packages', reason: 'observed only' }]),
      plain,
    );
    expect(text).toBe(
      [
        'systemd',
        renderChange(create, plain),
        renderChange(update, plain),
        'kernel',
        renderChange(remove, plain),
        '',
        'Differences apply does not change:',
        ...renderUnresolved([blocking], plain),
        '  (packages: observed only)',
        '',
        'Plan: 1 to create, 1 to change, 1 to remove. 1 unresolved (1 blocking).',
        '',
      ].join('\n'),
    );
  });

  it('says so when there is nothing to change', () => {
    expect(renderPlan(planOf([]), plain)).toBe(
      'No changes: the machine matches the desired state.\n\nPlan: 0 to create, 0 to change, 0 to remove.\n',
    );
  });
});

describe('planJson', () => {
  it('carries the hash, changes, unresolved items, sections and summary', () => {
    const plan = planOf([create], [vendor]);
    expect(planJson(plan)).toEqual({
      hash: plan.hash,
      changes: [create],
      unresolved: [vendor],
      skipped: [],
      sections: ['systemd', 'kernel'],
      summary: planSummary(plan),
    });
  });
});
