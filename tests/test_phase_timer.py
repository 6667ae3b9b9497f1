"""The phase timer prints a per-phase table and writes the same figures as JSON."""

from __future__ import annotations

import json
import sys

from conftest import playbook

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
