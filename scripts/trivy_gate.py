#!/usr/bin/env python3
"""Fail a build on the vulnerabilities of a Trivy JSON report at or above a severity.

  scripts/trivy_gate.py REPORT.json [--severity CRITICAL]

Reads the report `trivy image --format json` wrote (Results[].Vulnerabilities[]), prints one line
per finding at or above the threshold (UNKNOWN < LOW < MEDIUM < HIGH < CRITICAL; UNKNOWN counts
only when the threshold is UNKNOWN) and a summary.
Exit 0: nothing at or above the threshold; 1: findings (listed); 2: the report is missing,
not JSON, or not a Trivy report.
"""

from __future__ import annotations

import argparse
import json
import sys

LEVELS = ["UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"]


class ReportError(Exception):
    pass


def load(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            report = json.load(fh)
    except OSError as err:
        raise ReportError(f"cannot read {path}: {err.strerror}") from err
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ReportError(f"{path} is not JSON: {err}") from err
    if not isinstance(report, dict) or "SchemaVersion" not in report:
        raise ReportError(f"{path} is not a Trivy JSON report (no SchemaVersion)")
    results = report.get("Results") or []
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise ReportError(f"{path}: Results must be a list of objects")
    return report


def findings(report: dict, threshold: str) -> list[dict]:
    floor = LEVELS.index(threshold)
    found = []
    for result in report.get("Results") or []:
        for vuln in result.get("Vulnerabilities") or []:
            severity = str(vuln.get("Severity", "UNKNOWN")).upper()
            level = LEVELS.index(severity) if severity in LEVELS else 0
            if level >= floor:
                found.append({**vuln, "Severity": severity, "Target": result.get("Target", "?")})
    return sorted(found, key=lambda v: (-LEVELS.index(v["Severity"]), v.get("VulnerabilityID", ""),
                                        v.get("PkgName", "")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report")
    parser.add_argument("--severity", default="CRITICAL", type=str.upper, choices=LEVELS,
                        help="lowest severity that fails the gate (default CRITICAL)")
    args = parser.parse_args(argv)
    try:
        report = load(args.report)
    except ReportError as err:
        print(f"trivy_gate: {err}", file=sys.stderr)
        return 2
    found = findings(report, args.severity)
    artifact = report.get("ArtifactName", args.report)
    for v in found:
        fixed = v.get("FixedVersion") or "no fix"
        print(f"{v['Severity']:8} {v.get('VulnerabilityID', '?'):20} {v.get('PkgName', '?')} "
              f"{v.get('InstalledVersion', '?')} (fixed: {fixed}) in {v['Target']}")
    if found:
        print(f"trivy_gate: FAIL {artifact}: {len(found)} finding(s) at or above {args.severity}")
        return 1
    print(f"trivy_gate: ok {artifact}: nothing at or above {args.severity}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
