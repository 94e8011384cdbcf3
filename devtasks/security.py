"""invoke scan: checkov's security checks on terraform/ (every finding fixed or waived inline).

checkov pins boto3==1.35.49 and packaging<24, which would downgrade the project's own boto3,
so it lives in its own virtual environment under build/tools/, installed on first use.
"""
from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

from invoke import Exit, task

from devtasks.paths import BUILD, ROOT

CHECKOV = "checkov==3.3.30"
TOOL_DIR = BUILD / "tools" / CHECKOV.replace("==", "-")


class ScanError(RuntimeError):
    """checkov could not be installed or run; the message says what to do."""


def checkov() -> Path:
    """The checkov executable, installed into its own environment the first time."""
    executable = TOOL_DIR / "bin" / "checkov"
    marker = TOOL_DIR / ".complete"
    if marker.exists() and executable.exists():
        return executable
    venv.create(TOOL_DIR, with_pip=True, clear=True)
    done = subprocess.run([str(TOOL_DIR / "bin" / "python"), "-m", "pip", "install", "--quiet", CHECKOV],
                          capture_output=True, text=True)
    if done.returncode:
        raise ScanError(f"pip could not install {CHECKOV} into {TOOL_DIR}:\n{done.stderr.strip()[-800:]}\n"
                        "Check that PyPI is reachable and run `invoke scan` again.")
    marker.write_text(CHECKOV + "\n")
    return executable


def scan(folder: Path = ROOT / "terraform") -> dict:
    """checkov's findings on ``folder``: ``{"summary", "failed", "skipped"}`` (lists of check dicts)."""
    done = subprocess.run([str(checkov()), "-d", str(folder), "--framework", "terraform", "-o", "json"],
                          capture_output=True, text=True)
    try:
        reports = json.loads(done.stdout)
    except ValueError:
        raise ScanError(f"checkov gave no report (exit {done.returncode}): {done.stderr.strip()[-800:]}") from None
    reports = reports if isinstance(reports, list) else [reports]
    failed = [check for report in reports for check in report["results"]["failed_checks"]]
    skipped = [check for report in reports for check in report["results"]["skipped_checks"]]
    passed = [check for report in reports for check in report["results"]["passed_checks"]]
    return {"summary": {"passed": len(passed), "failed": len(failed), "skipped": len(skipped)},
            "failed": failed, "skipped": skipped, "passed": passed}


@task
def security_scan(c):
    """Run checkov on terraform/: every finding must be fixed or waived inline with a reason."""
    try:
        result = scan()
    except ScanError as error:
        raise Exit(str(error)) from None
    for check in result["failed"]:
        print(f"FAILED {check['check_id']} {check['check_name']}\n  {check['resource']} ({check['file_path']})")
    summary = result["summary"]
    print(f"checkov: {summary['passed']} passed, {summary['failed']} failed, {summary['skipped']} waived inline")
    if result["failed"]:
        raise Exit("fix each finding, or waive it on the resource with `#checkov:skip=ID:reason`", code=1)


TASKS = [security_scan]

if __name__ == "__main__":
    print(scan()["summary"], file=sys.stderr)
