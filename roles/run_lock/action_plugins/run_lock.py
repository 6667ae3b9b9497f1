# -*- coding: utf-8 -*-
# Apache-2.0
"""Take the environment's run lock for the rest of this ansible-playbook run (see README)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

KEEPER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "files", "run_lock_keeper.py")


def command_of(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return " ".join(os.path.basename(a) if i == 1 else a
                            for i, a in enumerate(f.read().decode(errors="replace").split("\0")[1:-1], 1))
    except OSError:
        return "ansible-playbook"


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(("path", "wait", "grace"))

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        path, wait = self._task.args["path"], int(self._task.args.get("wait", 0))
        grace = int(self._task.args.get("grace", 1800))
        # Task workers are forked by the ansible-playbook process itself: it is the owner.
        owner = os.getppid()
        marker = "%d:%s" % (owner, path)
        facts = {"run_lock_held": True, "run_lock_marker": marker}
        keeper = subprocess.Popen(
            [sys.executable, KEEPER, path, str(owner), str(wait), command_of(owner), marker, str(grace)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            start_new_session=True)  # a Ctrl-C must not free the lock while the run still winds down
        line = keeper.stdout.readline()
        keeper.stdout.close()
        try:
            answer = json.loads(line)
        except ValueError:
            raise AnsibleActionFail("run_lock: the lock keeper for %s did not answer (exit %s)" % (path, keeper.wait()))
        holder = answer.get("holder", {})
        if not answer["held"]:
            keeper.wait()
            if holder.get("pid") == owner:  # this run took it already (the phase ran twice)
                result.update(changed=False, msg="already held by this run", holder=holder, ansible_facts=facts)
                return result
            result.update(failed=True, holder=holder, msg=(
                "Another run is using this environment: pid %s on %s (%s), started %s%s, holds %s. "
                "Wait for it to finish, or let this run wait for it: -e run_lock_wait=<seconds> "
                "(make up ANSIBLE_ARGS='-e run_lock_wait=1800'). The lock is released the moment that process "
                "ends, even if it is killed, so it is never stale."
                % (holder.get("pid", "?"), holder.get("host", "?"), holder.get("command", "?"),
                   holder.get("since", "?"), "; " + holder["stopping"] if holder.get("stopping") else "", path)))
            return result
        result.update(changed=False, msg="held until this run and its Terraform processes end", holder=holder,
                      ansible_facts=facts)
        return result
