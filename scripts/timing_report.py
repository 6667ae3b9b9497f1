#!/usr/bin/env python3
"""`make report`: the boot-time history of one environment as a table and a chart.

Reads <timing dir>/history.jsonl (one record per `make up` / `make down`, appended by the
phase_timer callback: plugins/callback/phase_timer.py), prints one row per run (phase
durations, total, changed, failed) and writes <timing dir>/report.svg: a stacked bar per run,
one colour per phase, with the budget drawn as a line.

    scripts/timing_report.py [--env local] [--timing-dir DIR] [--budget-minutes 20] [--last 30]

Exit 0 with the report; 1 when there is no history yet (run `make up` first).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Colour-blind-safe palette (Okabe-Ito); phases beyond it reuse it.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
PLAYBOOK_LABEL = {"site": "up", "teardown": "down"}


def load(history: Path, last: int) -> list[dict]:
    """The last LAST well-formed records of the history file (a torn last line is skipped)."""
    runs = []
    for line in history.read_text().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a run killed while writing leaves a partial line
        if isinstance(record, dict) and isinstance(record.get("phases"), list):
            runs.append(record)
    return runs[-last:]


def phase_names(runs: list[dict]) -> list[str]:
    """Every phase in first-seen order (up phases, then down phases)."""
    names: list[str] = []
    for run in runs:
        for phase in run["phases"]:
            if phase["phase"] not in names:
                names.append(phase["phase"])
    return names


def label(run: dict) -> str:
    name = PLAYBOOK_LABEL.get(run["playbook"], run["playbook"])
    return f"{run.get('started_at', '?')[:16].replace('T', ' ')} {name}{' (interrupted)' if run.get('interrupted') else ''}"


def table(runs: list[dict], budget_s: float) -> str:
    rows = [("run", "total s", "changed", "failed", "budget", "slowest phase")]
    for run in runs:
        slowest = max(run["phases"], key=lambda p: p["seconds"], default={"phase": "-", "seconds": 0})
        rows.append((label(run), f"{run['total_seconds']:.1f}", str(run.get("changed", 0)), str(run.get("failed", 0)),
                     "over" if run["total_seconds"] > budget_s else "ok",
                     f"{slowest['phase']} ({slowest['seconds']:.1f} s)"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(widths[i]) if i in (0, 5) else c.rjust(widths[i]) for i, c in enumerate(row)).rstrip()
             for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def svg(runs: list[dict], budget_s: float) -> str:
    """Stacked bars (seconds per phase) per run, a dashed budget line, a legend."""
    names = phase_names(runs)
    colour = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}
    top = max([budget_s, *(r["total_seconds"] for r in runs)]) * 1.1
    left, plot_h, bar_w, gap = 70, 300, 28, 14
    plot_w = max(len(runs) * (bar_w + gap) + gap, 300)
    legend_w = 220
    width, height = left + plot_w + legend_w, plot_h + 150
    y = lambda seconds: 30 + plot_h - seconds / top * plot_h  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           '<text x="10" y="18" font-size="14">Phase durations per run (seconds)</text>']
    for tick in range(0, int(top) + 1, max(60, int(top / 6) // 60 * 60 or 60)):
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#ddd"/>'
                   f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>')
    for i, run in enumerate(runs):
        x, base = left + gap + i * (bar_w + gap), 0.0
        for phase in run["phases"]:
            y0, y1 = y(base + phase["seconds"]), y(base)
            out.append(f'<rect class="phase" data-run="{i}" data-phase="{html.escape(phase["phase"])}" '
                       f'data-seconds="{phase["seconds"]}" x="{x}" y="{y0:.1f}" width="{bar_w}" '
                       f'height="{max(y1 - y0, 0):.1f}" fill="{colour[phase["phase"]]}"><title>'
                       f'{html.escape(phase["phase"])}: {phase["seconds"]:.1f} s</title></rect>')
            base += phase["seconds"]
        lx, ly = x + bar_w / 2, 30 + plot_h + 8
        out.append(f'<text x="{lx}" y="{ly}" transform="rotate(60 {lx} {ly})">{html.escape(label(run))}</text>')
    out.append(f'<line id="budget" data-seconds="{budget_s}" x1="{left}" x2="{left + plot_w}" y1="{y(budget_s):.1f}" '
               f'y2="{y(budget_s):.1f}" stroke="#D00" stroke-width="2" stroke-dasharray="6 4"/>'
               f'<text x="{left + plot_w - 4}" y="{y(budget_s) - 5:.1f}" text-anchor="end" fill="#D00">'
               f'budget {budget_s / 60:g} min</text>')
    for i, name in enumerate(names):
        lx, ly = left + plot_w + 20, 40 + i * 18
        out.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colour[name]}"/>'
                   f'<text x="{lx + 18}" y="{ly}">{html.escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--env", default="local", help="environment (the inventory's folder name)")
    parser.add_argument("--timing-dir", type=Path, help="default: $PLATFORM_TIMING_DIR, else .state/<env>/timing")
    parser.add_argument("--budget-minutes", type=float, default=20)
    parser.add_argument("--last", type=int, default=30, help="runs to show")
    args = parser.parse_args(argv)
    directory = args.timing_dir or Path(os.environ.get("PLATFORM_TIMING_DIR") or ROOT / ".state" / args.env / "timing")
    history = directory / "history.jsonl"
    runs = load(history, args.last) if history.is_file() else []
    if not runs:
        print(f"timing_report: no runs in {history} yet: run `make up` first", file=sys.stderr)
        return 1
    budget_s = float(args.budget_minutes) * 60  # the default is an int: keep the chart's data-seconds a float
    print(table(runs, budget_s))
    chart = directory / "report.svg"
    chart.write_text(svg(runs, budget_s))
    print(f"\nchart: {chart} ({len(runs)} runs, budget {args.budget_minutes:g} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
