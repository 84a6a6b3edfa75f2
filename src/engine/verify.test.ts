import { describe, expect, it } from 'vitest';
import type { Plugin } from '../plugins/types.js';
import type { MachineState } from '../state/schema.js';
import type { Change } from './change.js';
import type { MachinePlan } from './plan.js';
import { driftOf, hasDrift } from './verify.js';

const kernelChange: Change = {
  id: 'kernel:command-line:/etc/default/grub',
  plugin: 'kernel',
  kind: 'command-line',
  action: 'update',
  target: '/etc/default/grub',
  phase: 'files',
  description: 'set the kernel command line',
  reason: 'differs',
  risk: 'medium',
  pendingReboot: true,
  before: 'quiet',
  after: 'quiet splash',
};

const createChange: Change = {
  ...kernelChange,
  id: 'kernel:sysctl-file:/etc/sysctl.d/x.conf',
  kind: 'sysctl-file',
  action: 'create',
  target: '/etc/sysctl.d/x.conf',
  pendingReboot: undefined,
  before: undefined,
};

function planOf(changes: Change[], unresolved: MachinePlan['unresolved'] = []): MachinePlan {
  return { changes, unresolved, skipped: [], planned: ['kernel'], hash: 'x' };
}

const kernel = {
  name: 'kernel',
  writer: { pendingReboot: (section: { config: { next: string[] } }) => section.config.next },
} as unknown as Plugin;
const current = {
  sections: { kernel: { config: { next: ['boots with quiet splash'] }, facts: {} } },
} as unknown as MachineState;

describe('driftOf', () => {
  it('lists each planned change as expected against actual, null for what is absent', () => {
    const report = driftOf(planOf([kernelChange, createChange]), current, [kernel]);
    expect(report.drift).toEqual([
      {
        section: 'kernel',
        target: '/etc/default/grub',
        kind: 'command-line',
        description: 'set the kernel command line',
        expected: 'quiet splash',
        actual: 'quiet',
        pendingReboot: true,
      },
      expect.objectContaining({ target: '/etc/sysctl.d/x.conf', actual: null, pendingReboot: false }),
    ]);
    expect(report.sections).toEqual(['kernel']);
    expect(hasDrift(report)).toBe(true);
  });

  it('reports what waits for a reboot without counting it as drift', () => {
    const report = driftOf(planOf([]), current, [kernel]);
    expect(report.pendingReboot).toEqual([{ section: 'kernel', description: 'boots with quiet splash' }]);
    expect(hasDrift(report)).toBe(false);
  });

  it('counts unresolved differences as drift', () => {
    const report = driftOf(
      planOf([], [{ plugin: 'kernel', path: '$.sections.kernel', description: 'x', blocking: false }]),
      current,
      [kernel],
    );
    expect(hasDrift(report)).toBe(true);
  });

  it('asks only planned sections what waits for a reboot', () => {
    const report = driftOf({ ...planOf([]), planned: [] }, current, [kernel]);
    expect(report.pendingReboot).toEqual([]);
  });
});
