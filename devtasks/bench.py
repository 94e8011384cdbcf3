"""invoke bench --suite NAME: runs bench/NAME.py, which prints its tables."""
import sys

from invoke import Exit, task

from devtasks.paths import ROOT

SUITES = ("quality", "ceiling", "engine", "localcloud", "stack", "load", "personalize", "scale")


@task(help={"suite": f"which benchmark: {', '.join(SUITES)}", "args": "extra arguments passed to the suite"})
def bench(c, suite, args=""):
    """Run a benchmark suite and print what it measured (not part of the tests)."""
    if suite not in SUITES:
        raise Exit(f"unknown suite {suite!r}: choose one of {', '.join(SUITES)}")
    if not (ROOT / "bench" / f"{suite}.py").exists():
        raise Exit(f"bench/{suite}.py does not exist yet")
    c.run(f"{sys.executable} -m bench.{suite} {args}", pty=False, echo=True)


TASKS = [bench]
