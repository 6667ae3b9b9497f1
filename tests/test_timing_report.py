"""scripts/timing_report.py (`make report`): the history as a table and an SVG chart."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

from conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"


def record(playbook: str, started: str, phases: dict[str, float], failed: int = 0) -> dict:
    return {"playbook": playbook, "started_at": started, "total_seconds": sum(phases.values()), "changed": 3,
            "failed": failed, "phases": [{"phase": k, "seconds": v, "changed": 1, "failed": 0} for k, v in phases.items()]}


def report(timing, *args):
    return subprocess.run([sys.executable, str(ROOT / "scripts/timing_report.py"), "--timing-dir", str(timing), *args],
                          capture_output=True, text=True, timeout=60)


def test_table_and_chart_from_the_history(tmp_path):
    runs = [record("site", "2026-11-29T06:00:00", {"bootstrap": 60, "foundation": 400, "eks": 900}),
            record("teardown", "2026-11-29T07:00:00", {"eks": 300, "audit": 20})]
    (tmp_path / "history.jsonl").write_text("".join(json.dumps(r) + "\n" for r in runs) + '{"playbook": "site", "pha')
    done = report(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "2026-11-29 06:00 up" in done.stdout and "over" in done.stdout  # 1360 s > 20 min
    assert "2026-11-29 07:00 down" in done.stdout and "eks (900.0 s)" in done.stdout
    chart = ET.parse(tmp_path / "report.svg").getroot()
    bars = [e for e in chart.iter(SVG + "rect") if e.get("class") == "phase"]
    assert [(b.get("data-run"), b.get("data-phase")) for b in bars] == [
        ("0", "bootstrap"), ("0", "foundation"), ("0", "eks"), ("1", "eks"), ("1", "audit")]
    height = {b.get("data-phase") + b.get("data-run"): float(b.get("height")) for b in bars}
    assert abs(height["eks0"] / height["bootstrap0"] - 15) < 0.1  # bars are to scale
    budget = next(e for e in chart.iter(SVG + "line") if e.get("id") == "budget")
    assert budget.get("data-seconds") == "1200.0"  # the default budget, 20 minutes
    eks0 = next(b for b in bars if b.get("data-phase") == "eks" and b.get("data-run") == "0")
    assert float(budget.get("y1")) > float(eks0.get("y"))  # the 1360 s bar reaches above the 1200 s line


def test_budget_and_last_options(tmp_path):
    runs = [record("site", f"2026-11-2{i}T06:00:00", {"eks": 100.0 * i}) for i in range(1, 6)]
    (tmp_path / "history.jsonl").write_text("".join(json.dumps(r) + "\n" for r in runs))
    done = report(tmp_path, "--budget-minutes", "7.5", "--last", "2")
    assert done.returncode == 0
    assert "2026-11-21" not in done.stdout and done.stdout.count(" over ") == 1  # 400 s ok, 500 s over
    assert 'data-seconds="450.0"' in (tmp_path / "report.svg").read_text()


def test_no_history_says_what_to_run(tmp_path):
    done = report(tmp_path)
    assert done.returncode == 1 and "make up" in done.stderr
