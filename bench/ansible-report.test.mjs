import { describe, expect, it } from 'vitest';
import { parseAnsibleReport, taskOfModule } from './ansible-report.mjs';

const TASKS = [
  {
    name: 'Gathering Facts',
    module: 'gather_facts',
    ms: 1615,
    status: 'ok',
    counts: { facts: 104, interfaces: 2 },
  },
  {
    name: 'service_facts',
    module: 'ansible.builtin.service_facts',
    ms: 3138.7,
    status: 'ok',
    counts: { facts: 1, services: 129 },
  },
  {
    name: 'package_facts',
    module: 'ansible.builtin.package_facts',
    ms: 533.9,
    status: 'failed',
    counts: { facts: 0 },
    message: 'Could not detect a supported package manager',
  },
];

describe('parseAnsibleReport', () => {
  it('finds the report line among warnings and other output', () => {
    const stdout = `[WARNING]: Found "apt" but Failed to import the required Python library (apt)\n${JSON.stringify({ opdbusBench: { tasks: TASKS } })}\n\n`;
    expect(parseAnsibleReport(stdout)).toEqual(TASKS);
  });

  it('takes the last report when there are several', () => {
    const first = JSON.stringify({ opdbusBench: { tasks: [] } });
    const last = JSON.stringify({ opdbusBench: { tasks: TASKS.slice(0, 1) } });
    expect(parseAnsibleReport(`${first}\n${last}\n`)).toHaveLength(1);
  });

  it('throws when Ansible printed no report', () => {
    expect(() => parseAnsibleReport('ERROR! the playbook could not be found\n')).toThrow(
      /no opdbus_bench_timer report/,
    );
    expect(() => parseAnsibleReport('')).toThrow(/no opdbus_bench_timer report/);
  });

  it('throws on a report without tasks', () => {
    expect(() => parseAnsibleReport('{"opdbusBench": {}}')).toThrow(/no task list/);
  });
});

describe('taskOfModule', () => {
  it('matches short and fully qualified module names', () => {
    expect(taskOfModule(TASKS, 'gather_facts')?.ms).toBe(1615);
    expect(taskOfModule(TASKS, 'service_facts')?.counts.services).toBe(129);
    expect(taskOfModule(TASKS, 'facts')).toBeUndefined();
  });
});
