"""Deploy and destroy the whole stack on a target; the tasks and the tests call these."""
from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from rich.console import Console

from devtasks import lambda_zip, site
from devtasks.paths import DATA, DEFAULT_MODEL
from devtasks.terraform import STATE_ROOT, Stack

LOCAL_REGION = "us-east-1"


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


def boto3_client(service: str, endpoint: str | None):
    """A client for the local cloud (dummy credentials, path-style S3) or for AWS (default chain)."""
    import boto3

    if endpoint is None:
        return boto3.client(service)
    import localcloud

    return localcloud.client(service, endpoint)


def train_default(model_dir: Path) -> None:
    """Train the engine on data/train into ``model_dir`` (what `invoke train` does by default)."""
    from recommender import load_dataset
    from recommender.training import train

    train(load_dataset(DATA / "train")).save(model_dir)


def _boot_file(stack: Stack) -> Path:
    return stack.state_root / stack.target / "localcloud.json"


def _local_cloud(steps: Steps, port: int | None) -> tuple[str, str]:
    import localcloud

    with steps("start the local cloud"):
        endpoint = localcloud.start(port)
    return endpoint, str(localcloud.status().get("boot_id"))


def deploy(target: str = "local", state_root: Path = STATE_ROOT, model_dir: Path = DEFAULT_MODEL,
           site_dir: Path = site.SITE, port: int | None = None, console: Console | None = None,
           backend: str | None = None, personalize_data: Path | None = None) -> Deployment:
    """Bring the stack up on ``target`` (idempotent: a repeat changes nothing).

    Steps: local cloud (local target) → train if no artifact → build the package →
    terraform init → Personalize resources (backend personalize or both; devtasks/personalize.py)
    → terraform apply → upload the model → write the API URL into the site → sync the site.
    """
    from devtasks import personalize

    steps = Steps(console)
    stack = Stack(target, state_root)
    endpoint = boot_id = None
    if target == "local":
        endpoint, boot_id = _local_cloud(steps, port)
        boot_file = _boot_file(stack)
        recorded = json.loads(boot_file.read_text()) if boot_file.exists() else {}
        if stack.has_resources() and recorded.get("boot_id") != boot_id:
            steps.console.print("[yellow]the local cloud restarted since the last deploy: its resources are gone, "
                                "applying from scratch[/]")
            stack.forget_state()
            personalize.forget(stack)
    if not (Path(model_dir) / "manifest.json").exists():
        with steps(f"train the model into {model_dir}"):
            try:
                train_default(Path(model_dir))
            except ValueError as error:  # DatasetError is a ValueError
                raise DeployError(f"training on {DATA / 'train'} failed: {error}; "
                                  "fix the data (`invoke data` regenerates it) and deploy again") from None
    with steps("build the Lambda package"):
        package = lambda_zip.build()
    variables = {"model_version": site.model_fingerprint(Path(model_dir)), "lambda_zip": str(package["path"])}
    if endpoint:
        variables["local_endpoint"] = endpoint
    with steps("terraform init"):
        stack.init()
    variables.update(personalize.prepare(stack, variables, endpoint, steps, backend, personalize_data))
    with steps(f"terraform apply ({target})"):
        outputs = stack.apply(variables)
    if target == "local":
        _boot_file(stack).write_text(json.dumps({"boot_id": boot_id, "endpoint": endpoint}) + "\n")
    s3 = boto3_client("s3", endpoint)
    changes = {"terraform": stack.changes, "package_sha256": package["sha256"]}
    with steps("upload the model"):
        changes["model"] = site.sync(s3, Path(model_dir), outputs["models_bucket"], outputs["model_prefix"])
    with steps("write the API URL into the site"):
        site.prepare(outputs["api_url"], target=Path(site_dir))
    with steps("sync the site"):
        changes["site"] = site.sync(s3, Path(site_dir), outputs["site_bucket"])
    return Deployment(target, outputs, endpoint, steps.timings, changes)


def destroy(target: str = "local", state_root: Path = STATE_ROOT, stop_cloud: bool = True,
            console: Console | None = None) -> dict:
    """Delete the Personalize resources, empty the buckets, destroy every resource, stop the local cloud."""
    from devtasks import personalize

    steps = Steps(console)
    stack = Stack(target, state_root)
    endpoint = None
    if target == "local":
        import localcloud

        status = localcloud.status()
        recorded = json.loads(_boot_file(stack).read_text()) if _boot_file(stack).exists() else {}
        if not status["running"] or recorded.get("boot_id") != status.get("boot_id"):
            stack.forget_state()  # the emulator keeps state in memory: what it held is gone
            personalize.forget(stack)
            _boot_file(stack).unlink(missing_ok=True)
            if stop_cloud:
                localcloud.stop()
            steps.console.print("the local cloud is not running (or restarted): nothing of this deploy is left; "
                                "state cleared")
            return steps.timings
        endpoint = status["endpoint"]
    if stack.has_resources():
        with steps("terraform init"):
            stack.init()
        outputs = stack.outputs()
        personalize.teardown(stack, endpoint, steps)
        s3 = boto3_client("s3", endpoint)
        with steps("empty the buckets (every version)"):
            for bucket in (outputs.get("site_bucket"), outputs.get("models_bucket"),
                           (outputs.get("personalize") or {}).get("data_bucket")):
                if bucket:
                    site.empty_bucket(s3, bucket)
        if not lambda_zip.PACKAGE.exists():
            with steps("build the Lambda package (Terraform hashes it even to destroy)"):
                lambda_zip.build()
        variables = {"local_endpoint": endpoint} if endpoint else {}
        with steps(f"terraform destroy ({target})"):
            stack.destroy({**variables, "lambda_zip": str(lambda_zip.PACKAGE)})
    _boot_file(stack).unlink(missing_ok=True)
    if target == "local" and stop_cloud:
        import localcloud

        with steps("stop the local cloud"):
            localcloud.stop()
    return steps.timings


if __name__ == "__main__":  # python -m devtasks.stack_deploy [local|aws]
    print(deploy(sys.argv[1] if len(sys.argv) > 1 else "local").outputs)
