"""invoke build / deploy / publish / destroy / logs / status: the served stack (terraform/, lambdas/, stepfunctions/)."""
from __future__ import annotations

import time

from invoke import Exit, task

from devtasks.terraform import TARGETS, TerraformError

TARGET_HELP = "where: local (the local cloud on this machine) or aws (your default AWS credentials)"
REGION_HELP = "AWS region (default: the region the stack already lives in, else terraform.tfvars or us-east-1)"
RUNTIME_HELP = "Lambda runtime: python3.11 (default), python3.12 or python3.13 (see the README's runtime note)"


def _check_target(target: str) -> None:
    if target not in TARGETS:
        raise Exit(f"unknown target {target!r}: use --target local or --target aws")


def _failures():
    from botocore.exceptions import BotoCoreError, ClientError

    return TerraformError, RuntimeError, ValueError, BotoCoreError, ClientError


@task(help={"runtime": RUNTIME_HELP})
def build(c, runtime="python3.11"):
    """Build the Lambda package (reproducible zip) into build/lambda/."""
    from devtasks import lambda_zip

    try:
        result = lambda_zip.build(runtime)
    except lambda_zip.BuildError as error:
        raise Exit(str(error)) from None
    state = "built" if result["rebuilt"] else "unchanged"
    print(f"{result['path']} {state}: {result['files']} files, {result['bytes'] / 1e6:.1f} MB, "
          f"sha256 {result['sha256'][:16]}")


@task(help={"target": TARGET_HELP, "region": REGION_HELP, "runtime": RUNTIME_HELP,
            "backend": "who answers: builtin (our engine), personalize (Amazon Personalize, trained from --data) or "
                       "both (side by side); default: the last deploy's, else builtin",
            "data": "folder of Personalize CSVs and Avro schemas that Personalize imports (default data/train)"})
def deploy(c, target="local", region="", runtime="python3.11", backend="", data=""):
    """Deploy the stack (local cloud by default): build, terraform apply, publish; print the URLs."""
    _check_target(target)
    from pathlib import Path

    from devtasks.personalize import BACKENDS

    if backend and backend not in BACKENDS:
        raise Exit(f"unknown backend {backend!r}: use --backend builtin, personalize or both")
    if data and not Path(data).is_dir():
        raise Exit(f"--data {data}: no such folder; give a folder of Personalize CSVs with their Avro schemas")
    from devtasks.stack_deploy import deploy as run

    started = time.perf_counter()
    try:
        result = run(target, region=region or None, runtime=runtime, backend=backend or None,
                     personalize_data=Path(data) if data else None)
    except _failures() as error:
        raise Exit(f"deploy failed: {error}") from None
    print(f"\nDeployed to {target} ({result.outputs['region']}) in {time.perf_counter() - started:.0f} s")
    print(f"  website: {result.website_url}")
    print(f"  API:     {result.api_url}")
    print(f"  answers: {result.outputs.get('recommender_backend', 'builtin')}")
    if result.changes.get("invalidation"):
        print(f"  CloudFront is dropping the old copies (invalidation {result.changes['invalidation']}, "
              "usually done within a few minutes)")


@task(help={"target": TARGET_HELP})
def publish(c, target="local"):
    """After `terraform apply` (by hand or by deploy): check the model, write the API URL, sync the site."""
    _check_target(target)
    from devtasks.publish import publish as run
    from devtasks.terraform import Stack

    outputs = Stack(target).outputs()
    try:
        result = run(outputs)
    except _failures() as error:
        raise Exit(f"publish failed: {error}") from None
    site = result.site
    print(f"published to {outputs['site_bucket']} ({outputs['region']}): {len(site['uploaded'])} uploaded, "
          f"{site['unchanged']} unchanged, {len(site['deleted'])} deleted; model {result.model_prefix}")
    if result.invalidation:
        print(f"CloudFront invalidation {result.invalidation} under way (usually a few minutes)")
    print(f"  website: {outputs['website_url']}")
    print(f"  API:     {outputs['api_url']}")


@task(help={"target": TARGET_HELP, "region": REGION_HELP,
            "keep_cloud": "leave the local cloud running after destroying"})
def destroy(c, target="local", region="", keep_cloud=False):
    """Destroy everything deploy created (buckets and their contents too) and stop the local cloud."""
    _check_target(target)
    from devtasks.stack_deploy import destroy as run

    started = time.perf_counter()
    try:
        run(target, stop_cloud=not keep_cloud, region=region or None)
    except _failures() as error:
        raise Exit(f"destroy failed: {error}") from None
    print(f"Destroyed {target} in {time.perf_counter() - started:.0f} s")


@task(help={"name": "function: api, validate or recommend (or a full function name)",
            "target": TARGET_HELP, "minutes": "how far back to look", "follow": "keep printing new lines"})
def logs(c, name, target="local", minutes=30, follow=False):
    """Print a function's recent CloudWatch Logs lines (--follow to tail), in the stack's region."""
    _check_target(target)
    from devtasks.stack_status import LookupFailed, tail

    try:
        tail(target, name, minutes=int(minutes), follow=follow)
    except LookupFailed as error:
        raise Exit(str(error)) from None
    except KeyboardInterrupt:
        pass


@task
def status(c):
    """Show what is deployed on each target (URLs, region, local cloud state)."""
    from devtasks.stack_status import describe

    print(describe())


TASKS = [build, deploy, publish, destroy, logs, status]
