"""Dataset import jobs: read the CSV from the local S3, check it against the schema, store the rows.

The job checks what the service checks before it reads: the role exists in IAM, and the
bucket policy lets ``personalize.amazonaws.com`` read the objects (a missing statement fails
the job with the service's words). Interactions imports need at least 1,000 records.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from localcloud.personalize import schemas
from localcloud.personalize.errors import InvalidInput

MIN_INTERACTION_RECORDS = 1000
ID_FIELD = {"INTERACTIONS": None, "USERS": "USER_ID", "ITEMS": "ITEM_ID"}


class ImportFailed(Exception):
    """The job fails; the message is its failureReason."""


def check_role(account: str, role_arn: str) -> None:
    from moto.iam.models import iam_backends

    name = role_arn.rsplit("/", 1)[-1]
    try:
        iam_backends[account]["global"].get_role(name)
    except Exception:
        raise InvalidInput(f"Could not find the IAM role {role_arn}; create it (Terraform's Personalize "
                           "module does) and pass its ARN") from None


def read_objects(account: str, location: str) -> list[tuple[str, bytes]]:
    """``(key, bytes)`` of the CSV at ``s3://bucket/key``, or of every CSV under ``s3://bucket/prefix/``."""
    from moto.s3.exceptions import MissingBucket
    from moto.s3.models import s3_backends

    if not location.startswith("s3://") or "/" not in location[5:]:
        raise ImportFailed(f"dataLocation {location} is not an S3 path (s3://bucket/key.csv or s3://bucket/folder/)")
    bucket_name, _, key = location[5:].partition("/")
    try:
        bucket = s3_backends[account]["aws"].get_bucket(bucket_name)
    except MissingBucket:
        raise ImportFailed(f"Input bucket {bucket_name} does not exist") from None
    _check_policy(bucket, bucket_name)
    if key.endswith("/") or key == "":
        found = sorted((k, v.value) for k, v in bucket.keys.items() if k.startswith(key) and k.endswith(".csv"))
    else:
        obj = bucket.keys.get(key)
        found = [(key, obj.value)] if obj is not None else []
    if not found:
        raise ImportFailed(f"No CSV found at {location}")
    return found


def _check_policy(bucket: Any, name: str) -> None:
    try:
        policy = json.loads(bucket.policy or b"{}")
    except ValueError:
        policy = {}
    for statement in policy.get("Statement", []):
        principal = statement.get("Principal") or {}
        services = principal.get("Service") if isinstance(principal, dict) else None
        services = [services] if isinstance(services, str) else services or []
        actions = statement.get("Action")
        actions = [actions] if isinstance(actions, str) else actions or []
        if (statement.get("Effect") == "Allow" and "personalize.amazonaws.com" in services
                and any(a in ("s3:GetObject", "s3:*", "*") for a in actions)):
            return
    raise ImportFailed(f"Insufficient privileges for accessing data in S3: the policy of bucket {name} must allow "
                       "personalize.amazonaws.com s3:GetObject and s3:ListBucket")


def parse_rows(objects: list[tuple[str, bytes]], fields: dict[str, dict], dataset_type: str) -> list[dict]:
    """Every record of the CSVs, typed by the schema; the failureReason names file, row and column."""
    rows: list[dict] = []
    for key, data in objects:
        try:
            reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
            header = [h.strip().upper() for h in next(reader)]
        except (UnicodeDecodeError, StopIteration, csv.Error) as exc:
            raise ImportFailed(f"{key}: not a UTF-8 CSV with a header row ({exc})") from None
        unknown = [h for h in header if h not in fields]
        if unknown:
            raise ImportFailed(f"{key}: column {unknown[0]} is not in the dataset's schema")
        missing = [n for n, f in fields.items() if n not in header and not schemas.nullable(f)]
        if missing:
            raise ImportFailed(f"{key}: the header lacks the schema's field {missing[0]}")
        for number, cells in enumerate(reader, start=1):
            if not cells:
                continue
            if len(cells) != len(header):
                raise ImportFailed(f"{key}, row {number}: expected {len(header)} fields, found {len(cells)}")
            try:
                rows.append({name: schemas.coerce(cell, fields[name], f"{key}, row {number}, column {name}")
                             for name, cell in zip(header, cells)})
            except InvalidInput as exc:
                raise ImportFailed(exc.message) from None
    if dataset_type == "INTERACTIONS" and len(rows) < MIN_INTERACTION_RECORDS:
        raise ImportFailed(f"Input file must contain at least {MIN_INTERACTION_RECORDS} records; "
                           f"found {len(rows)}")
    return rows


def merge(dataset_state: dict, rows: list[dict], dataset_type: str, mode: str) -> None:
    """Store imported rows: FULL replaces the bulk data, INCREMENTAL adds (users and items by id)."""
    id_field = ID_FIELD[dataset_type]
    if id_field is None:
        kept = dataset_state.get("rows", []) if mode == "INCREMENTAL" else []
        dataset_state["rows"] = kept + rows
        by_user: dict[str, list[dict]] = {}
        for row in dataset_state["rows"] + dataset_state.get("events", []):
            by_user.setdefault(str(row["USER_ID"]), []).append(row)
        dataset_state["by_user"] = by_user
        return
    table = dict(dataset_state.get("rows", {})) if mode == "INCREMENTAL" else {}
    for row in rows:
        table[str(row[id_field])] = row
    dataset_state["rows"] = table
