"""Deploy and destroy the whole stack on a target; the tasks and the tests call these.

deploy = (local cloud) + train if needed + build + terraform apply + publish. The model is
uploaded by Terraform itself (content-addressed, before any function points at it), so a
hand-run `terraform apply` followed by `invoke publish` gives the same stack.
"""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from rich.console import Console

from devtasks import emulator, lambda_zip, site
from devtasks.clients import client
from devtasks.paths import DATA, DEFAULT_MODEL
from devtasks.publish import publish
from devtasks.terraform import STATE_ROOT, Stack


class DeployError(RuntimeError):
    """A step of deploy or destroy failed; the message says what to do."""


@dataclass
class Deployment:
    """What a deploy produced: the Terraform outputs plus the local cloud endpoint (local target)."""

    target: str
    outputs: dict
    endpoint: str | None = None
    timings: dict = field(default_factory=dict)
    changes: dict = field(default_factory=dict)

    @property
    def website_url(self) -> str:
        return self.outputs["website_url"]

    @property
    def api_url(self) -> str:
        return self.outputs["api_url"]


class Steps:
    """Prints each step with a spinner while it runs and its time when done."""

    def __init__(self, console: Console | None = None):
        self.console = console or Console(stderr=True)
        self.timings: dict[str, float] = {}

    @contextmanager
    def __call__(self, title: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            with self.console.status(f"{title}…"):
                yield
        except BaseException:
            self.console.print(f"[red]✗[/] {title}")
            raise
        self.timings[title] = time.perf_counter() - started
        self.console.print(f"[green]✓[/] {title} [dim]({self.timings[title]:.1f} s)[/]")


def train_default(model_dir: Path) -> None:
    """Train the engine on data/train into ``model_dir`` (what `invoke train` does by default)."""
    from recommender import load_dataset
    from recommender.training import train

    train(load_dataset(DATA / "train")).save(model_dir)


def region_for(stack: Stack, requested: str | None) -> str | None:
    """The region to deploy to: the one asked for, else the one the stack already lives in
    (its state's ``region`` output), else None (Terraform's own: terraform.tfvars or us-east-1)."""
    current = stack.outputs().get("region") if stack.has_resources() else None
    if requested and current and requested != current:
        target = "" if stack.target == "local" else f" --target {stack.target}"
        raise DeployError(f"this {stack.target} stack lives in {current} (its Terraform state says so); "
                          f"run `invoke destroy{target} --region {current}` before deploying to {requested}, "
                          f"or deploy with --region {current}")
    return requested or current


def forget_if_emulator_lost_it(stack: Stack, endpoint: str, steps: Steps) -> bool:
    """Drop the local state when the local cloud holds none of its resources (it restarted)."""
    if not stack.has_resources():
        return False
    region = stack.outputs().get("region") or "us-east-1"
    if not emulator.state_is_stale(stack.resources(), lambda service: client(service, region, endpoint)):
        return False
    steps.console.print("[yellow]the local cloud holds none of this state's resources (it restarted since the "
                        "last apply): forgetting the state and applying from scratch[/]")
    stack.forget_state()
    return True


def _local_cloud(steps: Steps, port: int | None) -> str:
    import localcloud

    with steps("start the local cloud"):
        return localcloud.start(port)


def _check_runtime_runs_here(runtime: str) -> None:
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    if lambda_zip.python_version(runtime) != here:
        raise DeployError(f"the local cloud runs Lambda code with this machine's Python {here}, so it cannot run "
                          f"{runtime}; deploy the local target with --runtime python{here} (AWS runs any runtime)")


def deploy(target: str = "local", state_root: Path = STATE_ROOT, model_dir: Path = DEFAULT_MODEL,
           site_dir: Path = site.SITE, port: int | None = None, console: Console | None = None,
           region: str | None = None, runtime: str = lambda_zip.DEFAULT_RUNTIME, backend: str | None = None,
           personalize_data: Path | None = None) -> Deployment:
    """Bring the stack up on ``target`` (idempotent: a repeat changes nothing).

    Steps: local cloud (local target) → train if no artifact → build the package → terraform init →
    Personalize resources (backend personalize or both; devtasks/personalize.py) → terraform apply
    (uploads the model first) → publish the site.
    """
    from devtasks import personalize

    steps = Steps(console)
    stack = Stack(target, state_root)
    endpoint = None
    if target == "local":
        _check_runtime_runs_here(runtime)
        endpoint = _local_cloud(steps, port)
        if forget_if_emulator_lost_it(stack, endpoint, steps):
            personalize.forget(stack)
    region = region_for(stack, region)
    if not (Path(model_dir) / "manifest.json").exists():
        with steps(f"train the model into {model_dir}"):
            try:
                train_default(Path(model_dir))
            except ValueError as error:  # DatasetError is a ValueError
                raise DeployError(f"training on {DATA / 'train'} failed: {error}; "
                                  "fix the data (`invoke data` regenerates it) and deploy again") from None
    with steps(f"build the Lambda package ({runtime})"):
        package = lambda_zip.build(runtime)
    # Only what differs from Terraform's defaults is passed, so a hand-run `terraform apply` with the
    # defaults and this deploy describe the same stack (and either one after the other changes nothing).
    variables = {"region": region, "local_endpoint": endpoint,
                 "lambda_runtime": runtime if runtime != lambda_zip.DEFAULT_RUNTIME else None,
                 "model_dir": str(Path(model_dir).resolve()) if Path(model_dir) != DEFAULT_MODEL else None}
    with steps("terraform init"):
        stack.init()
    variables.update(personalize.prepare(stack, variables, endpoint, steps, backend, personalize_data))
    with steps(f"terraform apply ({target}{', ' + region if region else ''})"):
        outputs = stack.apply(variables)
    with steps("publish the site"):
        published = publish(outputs, site_dir=Path(site_dir))
    changes = {"terraform": stack.changes, "package_sha256": package["sha256"], "site": published.site,
               "invalidation": published.invalidation, "model_prefix": published.model_prefix}
    return Deployment(target, outputs, endpoint, steps.timings, changes)


def destroy(target: str = "local", state_root: Path = STATE_ROOT, stop_cloud: bool = True,
            console: Console | None = None, region: str | None = None) -> dict:
    """Delete the Personalize resources, destroy every resource of ``target``'s state (buckets
    included) and stop the local cloud.

    Harmless to repeat: with nothing in the state it only stops the local cloud.
    """
    from devtasks import personalize

    steps = Steps(console)
    stack = Stack(target, state_root)
    endpoint = None
    if target == "local":
        import localcloud

        status = localcloud.status()
        if not status["running"]:
            personalize.forget(stack)
            if stack.has_resources():
                stack.forget_state()  # the emulator keeps state in memory: what it held is gone
                steps.console.print("the local cloud is not running: nothing of this deploy is left; state cleared")
            else:
                steps.console.print("nothing is deployed on the local cloud")
            return steps.timings
        endpoint = status["endpoint"]
        if forget_if_emulator_lost_it(stack, endpoint, steps):
            personalize.forget(stack)
    region = region_for(stack, region)
    personalize.teardown(stack, endpoint, steps, region)
    if stack.has_resources():
        with steps("terraform init"):
            stack.init()
        outputs = stack.outputs()
        with steps(f"terraform destroy ({target}{', ' + region if region else ''})"):
            stack.destroy({"region": region, "local_endpoint": endpoint})
        steps.console.print(f"removed {len(outputs.get('function_names') or {})} functions, the API, the workflow, "
                            "both tables and both buckets")
    else:
        steps.console.print(f"nothing is deployed on {target}")
    if target == "local" and stop_cloud:
        import localcloud

        with steps("stop the local cloud"):
            localcloud.stop()
    return steps.timings


if __name__ == "__main__":  # python -m devtasks.stack_deploy [local|aws]: the fault tests interrupt this
    print(deploy(sys.argv[1] if len(sys.argv) > 1 else "local").outputs)
