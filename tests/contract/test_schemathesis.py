"""schemathesis against the deployed stack: every check, positive and negative data, stateful links.

The document is the one Terraform deployed (rendered from the template with the stack's own
values). The run's seed is fixed so a failure reproduces; SCHEMATHESIS_SEED changes it.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openapi_document import render

pytestmark = [pytest.mark.stack, pytest.mark.slow]

HERE = Path(__file__).resolve().parent
EXAMPLES_PER_OPERATION = 150
BUDGET_S = 180  # what a run should take on a quiet machine; the timeout is twice that


def test_the_api_honours_its_document_under_generated_requests(deployed_stack, tmp_path):
    document = render({"cors_origin": deployed_stack.endpoint})
    (tmp_path / "openapi.json").write_text(json.dumps(document))
    seed = os.environ.get("SCHEMATHESIS_SEED", "20261201")
    command = [
        str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(HERE / "schemathesis.toml"),
        "run", str(tmp_path / "openapi.json"), "--url", deployed_stack.api_url, "--checks", "all",
        "--mode", "all", "--phases", "examples,coverage,fuzzing,stateful",
        "--max-examples", str(EXAMPLES_PER_OPERATION), "--seed", seed, "--workers", "2",
        "--request-timeout", "30", "--no-color", "--generation-database", "none",
        "--report", "junit", "--report-dir", str(tmp_path / "report"),
    ]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=BUDGET_S * 2, cwd=tmp_path,
                          env=dict(os.environ, SCHEMATHESIS_HOOKS=""))
    took = time.monotonic() - started
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"schemathesis found failures (seed {seed}):\n{output[-12000:]}"
    cases = sum(int(n) for n in re.findall(r"(\d+) generated", output))
    assert cases >= 1000, f"only {cases} cases generated:\n{output[-4000:]}"
    # the 3-minute budget is a figure to watch, not an assertion a loaded machine could miss
    print(f"schemathesis: {cases} cases in {took:.0f} s (seed {seed})")
