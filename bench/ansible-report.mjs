// Parses the JSON line that bench/ansible/callback_plugins/opdbus_bench_timer.py prints at the end of
// an ansible-playbook run: each task's module, wall time, status and fact counts.

/** The tasks of the run, or throws when the output has no report line (Ansible failed before the play). */
export function parseAnsibleReport(stdout) {
  for (const line of stdout.split('\n').reverse()) {
    if (!line.startsWith('{"opdbusBench"')) continue;
    const report = JSON.parse(line).opdbusBench;
    if (!Array.isArray(report?.tasks)) throw new Error('ansible report has no task list');
    return report.tasks;
  }
  throw new Error('ansible-playbook printed no opdbus_bench_timer report');
}

/** The task that ran MODULE (short name, e.g. service_facts), matched with or without its collection. */
export function taskOfModule(tasks, module) {
  return tasks.find((task) => task.module === module || task.module.endsWith(`.${module}`));
}
