# -*- coding: utf-8 -*-
# Apache-2.0
"""Per-phase timing for site.yml and teardown.yml: a table at the end and JSON on disk."""

from __future__ import annotations

DOCUMENTATION = r"""
name: phase_timer
type: aggregate
short_description: Time each platform phase and write the figures as JSON
description:
  - A phase is named by the text before the first colon of the play name, lowercased; consecutive
    plays with the same phase name (the platform phase has several) count as one phase.
  - At the end prints a table (phase, seconds, changed, failed) and writes
    C(<state_dir>/timing/<playbook>-last.json), appending the same record to
    C(<state_dir>/timing/history.jsonl).
  - A run that ends without its recap (Ctrl-C) is recorded as it exits, with C(interrupted: true).
  - The state folder is C(.state/<inventory folder name>) beside ansible.cfg, or
    C(PLATFORM_TIMING_DIR) when set.
requirements:
  - enable in ansible.cfg (callbacks_enabled)
"""

import atexit
import json
import os
import time
from datetime import datetime, timezone

from ansible import constants as C
from ansible import context
from ansible.plugins.callback import CallbackBase


def timing_dir():
    explicit = os.environ.get("PLATFORM_TIMING_DIR")
    if explicit:
        return explicit
    root = os.path.dirname(C.CONFIG_FILE) if C.CONFIG_FILE else os.getcwd()
    inventories = context.CLIARGS.get("inventory") or C.DEFAULT_HOST_LIST or ["default"]
    env = os.path.basename(os.path.normpath(list(inventories)[0]))
    return os.path.join(root, ".state", env, "timing")


def render_table(record):
    rows = [("phase", "seconds", "changed", "failed")]
    for p in record["phases"]:
        rows.append((p["phase"], "%.1f" % p["seconds"], str(p["changed"]), str(p["failed"])))
    rows.append(("total", "%.1f" % record["total_seconds"], str(record["changed"]), str(record["failed"])))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    line = "-+-".join("-" * w for w in widths)
    out = []
    for n, row in enumerate(rows):
        out.append(" | ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row)))
        if n in (0, len(rows) - 2):
            out.append(line)
    return "\n".join(out)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "phase_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._playbook = None
        self._started = None
        self._phases = []
        self._current = None

    def _close_phase(self):
        if self._current is not None:
            self._current["seconds"] = round(time.monotonic() - self._current.pop("_t0"), 2)
            self._phases.append(self._current)
            self._current = None

    def v2_playbook_on_start(self, playbook):
        self._playbook = os.path.splitext(os.path.basename(playbook._file_name))[0]
        self._started = time.monotonic()
        self._started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self._written = False
        # A Ctrl-C ends the run without the stats callback: record what ran, marked interrupted.
        atexit.register(self._record_interrupted)

    def v2_playbook_on_play_start(self, play):
        name = play.get_name().strip()
        phase = name.split(":", 1)[0].strip().lower()
        if self._current is not None and self._current["phase"] == phase:
            self._current["plays"].append(name)
            return
        self._close_phase()
        self._current = {"phase": phase, "plays": [name], "changed": 0, "failed": 0, "_t0": time.monotonic()}

    def _count(self, key):
        if self._current is not None:
            self._current[key] += 1

    def v2_runner_on_ok(self, result):
        if result._result.get("changed"):
            self._count("changed")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if not ignore_errors:
            self._count("failed")

    def v2_runner_on_unreachable(self, result):
        self._count("failed")

    def _record(self, interrupted=False):
        self._close_phase()
        self._written = True
        record = {
            "playbook": self._playbook,
            "started_at": self._started_at,
            "total_seconds": round(time.monotonic() - self._started, 2),
            "changed": sum(p["changed"] for p in self._phases),
            "failed": sum(p["failed"] for p in self._phases),
            "phases": self._phases,
        }
        if interrupted:
            record["interrupted"] = True
        return record

    def _write(self, record):
        directory = timing_dir()
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "%s-last.json" % self._playbook), "w") as out:
            json.dump(record, out, indent=2)
        with open(os.path.join(directory, "history.jsonl"), "a") as out:
            out.write(json.dumps(record) + "\n")
        return directory

    def _record_interrupted(self):
        if not self._written:
            try:
                self._write(self._record(interrupted=True))
            except OSError:
                pass  # exiting: nowhere left to report it

    def v2_playbook_on_stats(self, stats):
        record = self._record()
        self._display.banner("PHASE TIMING (%s)" % self._playbook)
        self._display.display(render_table(record))
        try:
            self._display.display("timing written to %s" % self._write(record))
        except OSError as err:  # a report must never fail the run
            self._display.warning("phase_timer: could not write timing: %s" % err)
