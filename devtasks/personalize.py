"""The Personalize step of `invoke deploy` / `invoke destroy`, and `invoke personalize.remove`.

``deploy --backend personalize|both`` lets Terraform create the data bucket and the service
role first (a targeted apply, the first time), then creates or finds every Personalize resource
(devtasks/personalize_resources.py) and hands their ARNs to the full apply. What it created is
recorded in ``build/terraform/<target>/personalize.json``; a later deploy without ``--backend``
keeps the recorded backend. ``destroy`` deletes the resources in the service's order first.
"""
from __future__ import annotations

import json
from pathlib import Path

from invoke import Collection, Exit, task

from devtasks.paths import DATA
from devtasks.personalize_resources import Names, PersonalizeSetupError, Resources

BACKENDS = ("builtin", "personalize", "both")
RECORD = "personalize.json"


def record_path(stack) -> Path:
    return stack.state_root / stack.target / RECORD


def read_record(stack) -> dict:
    try:
        return json.loads(record_path(stack).read_text())
    except (OSError, ValueError):
        return {}


def _write_record(stack, record: dict) -> None:
    record_path(stack).parent.mkdir(parents=True, exist_ok=True)
    record_path(stack).write_text(json.dumps(record, indent=2) + "\n")


def _resources(stack, endpoint: str | None, steps, prefix: str, region: str | None) -> Resources:
    from devtasks.clients import client

    region = region or (stack.outputs().get("region") if stack.has_resources() else None) or "us-east-1"
    return Resources(lambda service: client(service, region, endpoint), Names(prefix), steps,
                     poll_s=0.5 if stack.target == "local" else 30.0, say=steps.console.print)


def prepare(stack, variables: dict, endpoint: str | None, steps, backend: str | None = None,
            data: Path | None = None) -> dict:
    """The backend's Terraform variables for the full apply, creating the Personalize resources it needs.

    ``backend`` None keeps the recorded one (builtin the first time); ``data`` is the folder of
    Personalize CSVs to import (default data/train).
    """
    record = read_record(stack)
    backend = backend or record.get("backend") or "builtin"
    if backend not in BACKENDS:
        raise PersonalizeSetupError(f"unknown backend {backend!r}: use --backend builtin, personalize or both")
    if backend == "builtin":
        if record.get("resources"):
            steps.console.print("[yellow]the Personalize resources of the last deploy still exist (a campaign "
                                f"bills while it exists): `invoke personalize.remove --target {stack.target}` "
                                "deletes them[/]")
        _write_record(stack, {**record, "backend": "builtin"})
        return {"recommender_backend": "builtin"}
    outputs = stack.outputs() if stack.has_resources() else {}
    if not outputs.get("personalize"):
        with steps("terraform apply: the Personalize data bucket and service role"):
            outputs = stack.apply({**variables, "recommender_backend": backend}, targets=("module.personalize",))
    setup = outputs["personalize"]
    folder = Path(data) if data else Path(record.get("data") or DATA / "train")
    created = _resources(stack, endpoint, steps, setup["names_prefix"], outputs.get("region")).ensure(
        folder, setup["data_bucket"], setup["role_arn"], on_aws=stack.target == "aws")
    _write_record(stack, {"backend": backend, "names_prefix": setup["names_prefix"], "data": str(folder),
                          "resources": created})
    return {"recommender_backend": backend, "personalize_campaign_arn": created["campaign_arn"],
            "personalize_tracking_id": created["tracking_id"],
            "personalize_users_dataset_arn": created["users_dataset_arn"],
            "personalize_filter_arn": created["filter_arn"]}


def teardown(stack, endpoint: str | None, steps, region: str | None = None) -> list[str]:
    """Delete the stack's Personalize resources in the service's order; says and returns what it removed."""
    record = read_record(stack)
    prefix = record.get("names_prefix")
    if not prefix:
        return []
    removed = _resources(stack, endpoint, steps, prefix, region).remove()
    _write_record(stack, {"backend": record.get("backend", "builtin"), "data": record.get("data")})
    if removed:
        steps.console.print("removed from Amazon Personalize: " + ", ".join(removed))
    return removed


def forget(stack) -> None:
    """The local cloud restarted: what the record names is gone (the backend choice stays)."""
    record = read_record(stack)
    if record:
        _write_record(stack, {"backend": record.get("backend", "builtin"), "data": record.get("data")})


@task(help={"target": "local (the local cloud) or aws (your default AWS credentials)"})
def remove(c, target="local"):
    """Delete this stack's Amazon Personalize resources (campaign first), keeping the rest of the stack."""
    from botocore.exceptions import BotoCoreError, ClientError

    from devtasks.stack_deploy import Steps
    from devtasks.terraform import TARGETS, Stack

    if target not in TARGETS:
        raise Exit(f"unknown target {target!r}: use --target local or --target aws")
    stack = Stack(target)
    endpoint = None
    if target == "local":
        import localcloud

        if not localcloud.is_running():
            forget(stack)
            print("the local cloud is not running: its Personalize resources are gone already")
            return
        endpoint = localcloud.endpoint()
    try:
        removed = teardown(stack, endpoint, Steps())
    except (PersonalizeSetupError, BotoCoreError, ClientError) as error:
        raise Exit(f"personalize.remove failed: {error}") from None
    print(f"removed {len(removed)} Personalize resources" if removed else "no Personalize resource to remove")
    if read_record(stack).get("backend") in ("personalize", "both"):
        print("the stack still asks Personalize: `invoke deploy --backend builtin` switches it back to the engine")


ns = Collection(remove)
