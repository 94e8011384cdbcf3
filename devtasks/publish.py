"""What follows `terraform apply`, by `invoke deploy` or by hand: check the model the functions
load, write the API URL into the site, sync it with its cache headers and, behind CloudFront,
invalidate what changed. Everything comes from the Terraform state's outputs."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from devtasks import site
from devtasks.clients import client


class PublishError(RuntimeError):
    """The stack cannot be published; the message says what to do."""


@dataclass
class Published:
    """What a publish did: the site sync's changes and the CloudFront invalidation (if any)."""

    site: dict
    invalidation: str | None
    model_prefix: str


def check_model(s3, outputs: dict) -> None:
    """Every model file Terraform uploaded is in the bucket under the prefix the functions load."""
    from botocore.exceptions import ClientError

    missing = []
    for key in outputs.get("model_keys") or []:
        try:
            s3.head_object(Bucket=outputs["models_bucket"], Key=key)
        except ClientError:
            missing.append(key)
    if missing or not outputs.get("model_keys"):
        raise PublishError(f"the model the functions load is missing from s3://{outputs['models_bucket']}/"
                           f"{outputs.get('model_prefix', '')} ({', '.join(missing) or 'no model files'}); "
                           "run `invoke deploy` (or `terraform apply`) to upload it again")


def publish(outputs: dict, site_dir: Path = site.SITE, source: Path = site.FRONTEND) -> Published:
    """Publish the site of the stack described by ``outputs`` (Terraform's root outputs)."""
    if not outputs.get("site_bucket"):
        raise PublishError("nothing is deployed on this target: run `invoke deploy` (or `terraform apply`) first")
    endpoint = outputs.get("endpoint") or None
    s3 = client("s3", outputs["region"], endpoint)
    check_model(s3, outputs)
    try:
        site.prepare(outputs["api_url"], source=source, target=Path(site_dir))
    except site.SiteError as error:
        raise PublishError(str(error)) from None
    changes = site.sync(s3, Path(site_dir), outputs["site_bucket"])
    invalidation = None
    if outputs.get("distribution_id"):
        invalidation = site.invalidate(client("cloudfront", outputs["region"], endpoint),
                                       outputs["distribution_id"], changes)
    return Published(site=changes, invalidation=invalidation, model_prefix=outputs["model_prefix"])
