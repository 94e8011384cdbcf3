"""Configuration from environment variables, read and checked once per container."""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass
from typing import Mapping


class ConfigError(RuntimeError):
    """An environment variable is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Settings:
    """What every function needs to know about the deployed stack.

    Attributes mirror the environment variables Terraform sets (terraform/main.tf,
    ``local.environment``):

    results_table, events_table : DynamoDB tables of stored results and of events.
    models_bucket, model_prefix : where the model artifact is; the prefix is content-addressed
        (``models/<hash>/``), so a new model is a new prefix.
    cors_origin : another origin allowed to call the API ("" when the site shares the API's origin).
    result_ttl_days : days a stored result stays retrievable.
    recommender_backend : "builtin" or "personalize".
    state_machine_arn : the workflow the api function starts synchronously (api function only).
    max_body_bytes : the largest request body accepted.
    model_dir : where the artifact is downloaded (under /tmp on Lambda).
    """

    results_table: str
    events_table: str
    models_bucket: str
    model_prefix: str
    cors_origin: str
    result_ttl_days: int
    recommender_backend: str
    state_machine_arn: str
    max_body_bytes: int
    model_dir: str
    personalize_campaign_arn: str = ""
    personalize_tracking_id: str = ""
    personalize_users_dataset_arn: str = ""
    personalize_filter_arn: str = ""


def from_env(env: Mapping[str, str]) -> Settings:
    """Build and check settings from an environment mapping.

    Raises
    ------
    ConfigError
        Naming the variable that is missing or malformed.
    """

    def need(name: str) -> str:
        value = env.get(name, "").strip()
        if not value:
            raise ConfigError(f"environment variable {name} is not set; Terraform sets it on deploy")
        return value

    def whole(name: str, default: str, low: int, high: int) -> int:
        raw = env.get(name, default).strip()
        if not re.fullmatch(r"\d+", raw) or not low <= int(raw) <= high:
            raise ConfigError(f"environment variable {name} must be a whole number in {low}..{high}, got {raw!r}")
        return int(raw)

    backend = env.get("RECOMMENDER_BACKEND", "builtin").strip() or "builtin"
    if backend not in ("builtin", "personalize", "both"):
        raise ConfigError(f"RECOMMENDER_BACKEND must be builtin, personalize or both, got {backend!r}")
    personalize = {name.lower(): (need(name) if backend != "builtin" else env.get(name, "").strip())
                   for name in ("PERSONALIZE_CAMPAIGN_ARN", "PERSONALIZE_TRACKING_ID",
                                "PERSONALIZE_USERS_DATASET_ARN", "PERSONALIZE_FILTER_ARN")}
    prefix = need("MODEL_PREFIX")
    if not prefix.endswith("/"):
        raise ConfigError(f"MODEL_PREFIX must end with a slash, got {prefix!r}")
    return Settings(
        results_table=need("RESULTS_TABLE"),
        events_table=need("EVENTS_TABLE"),
        models_bucket=need("MODELS_BUCKET"),
        model_prefix=prefix,
        cors_origin=env.get("CORS_ORIGIN", "").strip(),
        result_ttl_days=whole("RESULT_TTL_DAYS", "30", 1, 365),
        recommender_backend=backend,
        state_machine_arn=env.get("STATE_MACHINE_ARN", "").strip(),
        max_body_bytes=whole("MAX_BODY_BYTES", "8192", 256, 1_000_000),
        model_dir=env.get("MODEL_DIR", "").strip() or os.path.join(env.get("TMPDIR") or "/tmp", "model"),
        **personalize,
    )


@functools.lru_cache(maxsize=1)
def settings() -> Settings:
    """The settings of this container (read once)."""
    return from_env(os.environ)
