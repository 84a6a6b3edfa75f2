# Ansible stdout callback for `npm run bench`: prints one JSON line with each task's wall time and the
# size of the facts it gathered, so bench/discover.mjs can report per-module times and compare counts.
import json
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
    name: opdbus_bench_timer
    type: stdout
    short_description: per-task wall time and fact counts as one JSON line
    description: Used by op-dbus's bench/discover.mjs.
"""


def count_facts(facts):
    """How much each module found: the numbers bench/discover.mjs sets against op-dbus's capture."""
    counts = {"facts": len(facts)}
    if isinstance(facts.get("services"), dict):
        counts["services"] = len(facts["services"])
    if isinstance(facts.get("packages"), dict):
        counts["packages"] = len(facts["packages"])
    if isinstance(facts.get("ansible_interfaces"), list):
        counts["interfaces"] = len(facts["ansible_interfaces"])
    return counts


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "opdbus_bench_timer"

    def __init__(self):
        super().__init__()
        self.tasks = []
        self.started = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.started = time.perf_counter()
        self.tasks.append({"name": task.get_name(), "module": task.action, "ms": None, "status": "started"})

    def _finish(self, result, status):
        task = self.tasks[-1]
        task["ms"] = round((time.perf_counter() - self.started) * 1000, 1)
        task["status"] = status
        outcome = result._result
        task["counts"] = count_facts(outcome.get("ansible_facts") or {})
        if status != "ok":
            task["message"] = str(outcome.get("msg", ""))[:500]

    def v2_runner_on_ok(self, result):
        self._finish(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._finish(result, "failed")

    def v2_runner_on_unreachable(self, result):
        self._finish(result, "unreachable")

    def v2_playbook_on_stats(self, stats):
        self._display.display(json.dumps({"opdbusBench": {"tasks": self.tasks}}))
