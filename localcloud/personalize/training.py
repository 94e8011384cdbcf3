"""Training a solution version: the imported data (and recorded events) → the project's engine.

Uses only the engine's public entry points: the data is written as a Personalize dataset
folder (CSVs and their Avro schemas), read with ``recommender.load_dataset`` and fitted
with ``recommender.training.train``. Popularity-Count needs no model: it counts.
"""
from __future__ import annotations

import csv
import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

MIN_INTERACTIONS = 1000
MIN_USERS = 25          # with at least MIN_PER_USER interactions each
MIN_PER_USER = 2


class TrainingFailed(Exception):
    """The solution version fails; the message is its failureReason."""


def interactions_of(group: dict, event_type: str | None) -> list[dict]:
    """Imported interactions plus the events recorded through the event tracker, optionally of one type."""
    rows = list(group["interactions"].get("rows", [])) + list(group["interactions"].get("events", []))
    if event_type:
        rows = [r for r in rows if str(r.get("EVENT_TYPE", "")).lower() == event_type.lower()]
    return rows


def check_minimums(rows: list[dict]) -> None:
    if len(rows) < MIN_INTERACTIONS:
        raise TrainingFailed(f"There are not enough interactions to train: at least {MIN_INTERACTIONS} are needed, "
                             f"the dataset group has {len(rows)}")
    per_user = Counter(str(r["USER_ID"]) for r in rows)
    enough = sum(1 for n in per_user.values() if n >= MIN_PER_USER)
    if enough < MIN_USERS:
        raise TrainingFailed(f"There are not enough users with at least {MIN_PER_USER} interactions: "
                             f"{MIN_USERS} are needed, the dataset group has {enough}")


def popularity(rows: list[dict]) -> list[str]:
    """Item ids by number of interactions, most first (ties by id)."""
    counts = Counter(str(r["ITEM_ID"]) for r in rows)
    return [item for item, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def train_engine(group: dict, rows: list[dict]) -> Any:
    """Fit the engine on the group's data; returns the trained model (``.recommend``, ``.item_ids``)."""
    from recommender import DatasetError, load_dataset
    from recommender.training import train

    with tempfile.TemporaryDirectory(prefix="personalize-train-") as folder:
        write_folder(Path(folder), group, rows)
        try:
            dataset = load_dataset(folder)
            return train(dataset)
        except (DatasetError, ValueError) as exc:
            raise TrainingFailed(f"Training failed on the imported data: {exc}") from None


def write_folder(folder: Path, group: dict, rows: list[dict]) -> None:
    """Users, Items and Interactions CSVs with their Avro schemas; ids seen only in interactions get empty fields."""
    users = dict(group["users"].get("rows", {})) if group["users"] else {}
    items = dict(group["items"].get("rows", {})) if group["items"] else {}
    user_fields = _metadata_fields(group["users"], "USER_ID")
    item_fields = _metadata_fields(group["items"], "ITEM_ID")
    for row in rows:
        users.setdefault(str(row["USER_ID"]), {"USER_ID": str(row["USER_ID"])})
        items.setdefault(str(row["ITEM_ID"]), {"ITEM_ID": str(row["ITEM_ID"])})
    _write(folder, "Users", "USER_ID", user_fields, users.values())
    _write(folder, "Items", "ITEM_ID", item_fields, items.values())
    inter_fields = {"USER_ID": {"name": "USER_ID", "type": "string"}, "ITEM_ID": {"name": "ITEM_ID", "type": "string"},
                    "TIMESTAMP": {"name": "TIMESTAMP", "type": "long"},
                    "EVENT_TYPE": {"name": "EVENT_TYPE", "type": "string"}}
    events = [{"USER_ID": r["USER_ID"], "ITEM_ID": r["ITEM_ID"], "TIMESTAMP": int(r.get("TIMESTAMP") or 0),
               "EVENT_TYPE": r.get("EVENT_TYPE") or "interaction"} for r in rows]
    _write_table(folder, "Interactions", list(inter_fields.values()), events)


def _metadata_fields(dataset: dict | None, id_field: str) -> list[dict]:
    fields = [{"name": id_field, "type": "string"}]
    for name, field in ((dataset or {}).get("fields") or {}).items():
        if name == id_field or name == "CREATION_TIMESTAMP":
            continue
        kinds = field["type"] if isinstance(field["type"], list) else [field["type"]]
        base = next(k for k in kinds if k != "null")
        copy = {k: v for k, v in field.items() if k in ("categorical", "textual", "doc")}
        fields.append({"name": name, "type": ["null", base] if base != "string" else "string", **copy})
    return fields


def _write(folder: Path, stem: str, id_field: str, fields: list[dict], rows) -> None:
    _write_table(folder, stem, fields, [{f["name"]: r.get(f["name"]) for f in fields} for r in rows])


def _write_table(folder: Path, stem: str, fields: list[dict], rows: list[dict]) -> None:
    names = [f["name"] for f in fields]
    with open(folder / f"{stem}.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for row in rows:
            writer.writerow(["" if row.get(n) is None else row.get(n) for n in names])
    schema = {"type": "record", "name": stem, "namespace": "com.amazonaws.personalize.schema", "fields": fields,
              "version": "1.0"}
    (folder / f"{stem}.schema.json").write_text(json.dumps(schema))
