// Applies a kernel section to testbed target 3 through the kernel plugin's writer — new sysctl.d,
// modules-load.d and modprobe.d files, a mask, an edited /etc/modules, a GRUB command line, and the
// systemd-sysctl / systemd-modules-load restarts — checks the result with tools inside the target, then
// undoes it as the engine would and checks the target is back as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Change, PHASES } from '../../src/engine/change.js';
import type { Machine } from '../../src/machine/machine.js';
import { type KernelConfig, type KernelFacts, kernelPlugin } from '../../src/plugins/kernel/index.js';
import { mergeAdminFiles } from '../../src/plugins/kernel/merge-admin-files.js';
import type { ApplyContext } from '../../src/plugins/types.js';
import { execInTarget, machineFor, type TestbedTarget, target } from './testbed-env.js';

const writer = kernelPlugin.writer as NonNullable<typeof kernelPlugin.writer>;
const context: ApplyContext = { progress: () => undefined, changeTimeoutMs: 60_000 };
const UNITS = ['systemd-sysctl.service', 'systemd-modules-load.service'];

const ADDED: KernelConfig['files'] = {
  '/etc/sysctl.d/60-opdbus-test.conf': { content: '# op-dbus kernel-apply test\nvm.swappiness = 17\n' },
  '/etc/sysctl.d/50-opdbus-test-masked.conf': { masked: true },
  '/etc/modules-load.d/opdbus-test.conf': { content: 'dummy\n' },
  '/etc/modprobe.d/opdbus-test.conf': { content: 'options dummy numdummies=2\n' },
};
const EXTRA_PARAMETER = 'opdbus.test="a b"';

let t: TestbedTarget;
let machine: Machine;
let original: { config: KernelConfig; facts: KernelFacts };
let desired: KernelConfig;
let changes: Change[] = [];
let checkpoint: unknown;
let applied: Change[] = [];

async function discover(): Promise<{ config: KernelConfig; facts: KernelFacts }> {
  const found = await kernelPlugin.discover(machine, { managedBusNames: new Map() });
  return {
    config: kernelPlugin.configSchema.parse(found.config),
    facts: kernelPlugin.factsSchema.parse(found.facts),
  };
}

/** When systemd last checked each unit's conditions: a restart job re-checks them, even when they fail. */
async function conditionChecks(): Promise<number[]> {
  const out = await execInTarget(t, [
    'systemctl',
    'show',
    ...UNITS,
    '-p',
    'ConditionTimestampMonotonic',
    '--value',
  ]);
  return out.split('\n').filter(Boolean).map(Number);
}

/** Undo as the engine does: reverse order, then the undoLast ones in forward order. */
async function undoApplied(): Promise<void> {
  const done = [...applied];
  applied = [];
  for (const change of [...done].reverse().filter((c) => !c.undoLast))
    await writer.undo(change, checkpoint, machine, context);
  for (const change of done.filter((c) => c.undoLast))
    await writer.undo(change, checkpoint, machine, context);
}

beforeAll(async () => {
  t = target(2);
  machine = machineFor(t);
  original = await discover();
  const modules = original.config.files['/etc/modules'];
  const files = {
    ...original.config.files,
    ...ADDED,
    '/etc/modules': { content: `${modules && 'content' in modules ? modules.content : ''}bonding\n` },
  };
  desired = {
    ...original.config,
    files,
    commandLine: [...(original.config.commandLine ?? []), EXTRA_PARAMETER],
    ...mergeAdminFiles(files),
  };
});

afterAll(async () => {
  // Leaves target 3 as it was even when a test failed half-way.
  if (applied.length > 0) await undoApplied();
  await machine?.close();
});

describe('kernel writer on testbed target 3', () => {
  it('starts from a target without the test files and without boot loader files', () => {
    for (const path of Object.keys(ADDED)) expect(original.config.files).not.toHaveProperty(path);
    expect(original.facts.commandLine).toMatchObject({
      configuredIn: null,
      pendingReboot: false,
      grub: null,
    });
    expect(kernelPlugin.configSchema.safeParse(desired).success).toBe(true);
  });

  it('plans the files, a new /etc/default/grub and the two restarts', () => {
    const plan = writer.plan(original, desired, { prune: false });
    expect(plan.unresolved).toEqual([]);
    changes = [...plan.changes].sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase));
    expect(changes.map(({ id, action }) => `${action} ${id}`)).toEqual([
      'create kernel:command-line:/etc/default/grub',
      'create kernel:modprobe-file:/etc/modprobe.d/opdbus-test.conf',
      'update kernel:modules-load-file:/etc/modules',
      'create kernel:modules-load-file:/etc/modules-load.d/opdbus-test.conf',
      'create kernel:sysctl-file:/etc/sysctl.d/50-opdbus-test-masked.conf',
      'create kernel:sysctl-file:/etc/sysctl.d/60-opdbus-test.conf',
      'update kernel:restart:systemd-modules-load.service',
      'update kernel:restart:systemd-sysctl.service',
    ]);
  });

  it("applies them: the target's tools see the files, systemd ran both jobs, and a re-plan is empty", async () => {
    checkpoint = JSON.parse(JSON.stringify(await writer.checkpoint(changes, machine)));
    const checksBefore = await conditionChecks();
    for (const change of changes) {
      applied.push(change);
      await writer.apply(change, machine, context);
    }

    expect(await execInTarget(t, ['cat', '/etc/sysctl.d/60-opdbus-test.conf'])).toBe(
      '# op-dbus kernel-apply test\nvm.swappiness = 17\n',
    );
    expect(await execInTarget(t, ['readlink', '/etc/sysctl.d/50-opdbus-test-masked.conf'])).toBe(
      '/dev/null\n',
    );
    expect(await execInTarget(t, ['cat', '/etc/modprobe.d/opdbus-test.conf'])).toBe(
      'options dummy numdummies=2\n',
    );
    expect(await execInTarget(t, ['tail', '-n', '1', '/etc/modules'])).toBe('bonding\n');
    const sourced = await execInTarget(t, [
      'sh',
      '-c',
      '. /etc/default/grub && printf %s "$GRUB_CMDLINE_LINUX_DEFAULT"',
    ]);
    expect(sourced).toBe(desired.commandLine?.join(' '));
    // In a container both units are skipped by their conditions, which still ends each job as done.
    const checksAfter = await conditionChecks();
    for (const [index, check] of checksAfter.entries())
      expect(check).toBeGreaterThan(checksBefore[index] as number);
    const states = await execInTarget(t, [
      'systemctl',
      'show',
      ...UNITS,
      '-p',
      'ActiveState',
      '-p',
      'Result',
    ]);
    expect(states).not.toMatch(/failed/);

    const now = await discover();
    expect(now.config).toEqual(desired);
    expect(now.facts.commandLine).toMatchObject({ configuredIn: '/etc/default/grub', pendingReboot: true });
    expect(now.facts.commandLine.live).toEqual(original.facts.commandLine.live);
    expect(writer.plan(now, desired, { prune: false })).toEqual({ changes: [], unresolved: [] });
  });

  it('undoes them in reverse order, restarts last, and the target is as it was', async () => {
    const checksBefore = await conditionChecks();
    await undoApplied();
    for (const path of [...Object.keys(ADDED), '/etc/default/grub'])
      expect(
        await execInTarget(t, ['sh', '-c', 'test -e "$1" || test -L "$1" || echo absent', 'sh', path]),
      ).toBe('absent\n');
    const checksAfter = await conditionChecks();
    for (const [index, check] of checksAfter.entries())
      expect(check).toBeGreaterThan(checksBefore[index] as number);
    const now = await discover();
    expect(now.config).toEqual(original.config);
    expect(now.facts.commandLine).toEqual(original.facts.commandLine);
  });
});
