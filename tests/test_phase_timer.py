"""The phase timer prints a per-phase table and writes the same figures as JSON."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from conftest import BIN, ROOT, playbook, playbook_env

PLAYBOOK = """
- name: "alpha: first phase"
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Change something
      ansible.builtin.command: "true"
      changed_when: true
- name: "beta: second phase"
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Wait a little
      ansible.builtin.pause:
        seconds: 1
- name: "beta: same phase, another play"
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Change something else
      ansible.builtin.command: "true"
      changed_when: true
"""


def run(book, tmp_path):
    return playbook("-i", "localhost,", "-c", "local", "-e", f"ansible_python_interpreter={sys.executable}",
                    str(book), env={"PLATFORM_TIMING_DIR": str(tmp_path / "t")})


def test_table_and_json(tmp_path):
    book = tmp_path / "demo.yml"
    book.write_text(PLAYBOOK)
    result = run(book, tmp_path)
    assert result.returncode == 0, result.stdout

    record = json.loads((tmp_path / "t" / "demo-last.json").read_text())
    phases = {p["phase"]: p for p in record["phases"]}
    assert list(phases) == ["alpha", "beta"]
    # consecutive plays of one phase count as one
    assert phases["beta"]["plays"] == ["beta: second phase", "beta: same phase, another play"]
    assert phases["alpha"]["changed"] == 1 and phases["beta"]["changed"] == 1
    assert phases["beta"]["seconds"] >= 1.0
    # each figure is rounded to 1/100 s on its own, so allow that much per phase
    assert record["total_seconds"] >= phases["alpha"]["seconds"] + phases["beta"]["seconds"] - 0.02
    assert "PHASE TIMING (demo)" in result.stdout
    assert any(line.startswith("beta") for line in result.stdout.splitlines())

    run(book, tmp_path)
    history = (tmp_path / "t" / "history.jsonl").read_text().splitlines()
    assert len(history) == 2 and all(json.loads(line)["playbook"] == "demo" for line in history)


def parent(pid: int) -> int:
    return int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])


def sleeping(run: int) -> bool:
    """Whether the run is in phase beta's `sleep 60` (Ansible runs modules in a session of their
    own, so the sleep is found by its ancestry)."""
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            argv = open(f"/proc/{entry}/cmdline", "rb").read().split(b"\0")
            if not (argv[0].endswith(b"sleep") and argv[1:2] == [b"60"]):
                continue
            pid = int(entry)
            while pid > 1:
                pid = parent(pid)
                if pid == run:
                    return True
        except (OSError, ValueError, IndexError):
            continue
    return False


def test_an_interrupted_run_is_recorded_as_such(tmp_path):
    """Ctrl-C skips the recap; the record is still written as the run exits, marked interrupted."""
    book = tmp_path / "demo.yml"
    # a command, not pause: pause takes Ctrl-C as its own prompt
    book.write_text(PLAYBOOK.replace("ansible.builtin.pause:\n        seconds: 1", "ansible.builtin.command: sleep 60"))
    proc = subprocess.Popen([str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", "-e",
                             f"ansible_python_interpreter={sys.executable}", str(book)], cwd=ROOT,
                            env=playbook_env({"PLATFORM_TIMING_DIR": str(tmp_path / "t")}),
                            stdout=open(tmp_path / "out", "w"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while not sleeping(proc.pid) and time.monotonic() < deadline:  # interrupt during phase beta's command
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGINT)
    proc.wait(timeout=60)
    out = (tmp_path / "out").read_text()

    record = json.loads((tmp_path / "t" / "history.jsonl").read_text().splitlines()[-1])
    assert record["interrupted"] is True, out
    assert [p["phase"] for p in record["phases"]] == ["alpha", "beta"]
    assert record["changed"] == 1 and record["total_seconds"] < 60
