"""invoke test: the whole suite (unit, notebooks, local cloud, stack, browser)."""
import shutil
import sys

from invoke import Exit, task

from devtasks.paths import ROOT


def _check_chromium():
    if not shutil.which("chromium"):
        raise Exit(
            "Chromium is needed for the browser tests: install Debian's package "
            "with `sudo apt-get install -y chromium` (or run .ci/run as root)."
        )


@task(help={"k": "only tests matching this pytest -k expression", "fast": "skip the slow suites"})
def test(c, k="", fast=False):
    """Run the whole test suite with pytest."""
    if not fast:
        _check_chromium()
    args = ["-m", "pytest"]
    if k:
        args += ["-k", repr(k)]
    if fast:
        args += ["-m", "'not slow'"]
    result = c.run(f"{sys.executable} {' '.join(args)}", pty=False, warn=True, echo=True)
    if result.exited:
        raise Exit(f"tests failed (exit {result.exited})", code=result.exited)


TASKS = [test]
