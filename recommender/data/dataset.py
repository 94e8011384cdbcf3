"""In-memory form of a Personalize dataset (Users.csv, Items.csv, Interactions.csv).

This module fixes the shape every other module builds on. Reading, writing and
validating the CSVs live here too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import warnings

import numpy as np

import pyarrow as pa
import pyarrow.compute as pc

from recommender.data import columns as col
from recommender.data import writer
from recommender.data.reader import SCHEMA_SUFFIX, DatasetError, Folder, batches, field_type, header, read_all

__all__ = ["Dataset", "DatasetError", "DatasetWarning", "EventFilter", "FieldSpec", "load_dataset", "write_dataset"]


@dataclass(frozen=True)
class FieldSpec:
    """One user (or item) metadata column.

    kind "categorical": ``values`` lists the distinct values seen (sorted), or is None for free
    text (item titles, descriptions); ``multi`` fields hold several values joined by ``|``
    (Personalize's convention, e.g. GENRES); ``boolean`` fields hold "true" or "false".
    kind "numeric": ``minimum``/``maximum`` bound it; ``integer`` says whether
    fractional values are allowed. Empty cells are missing values (NaN or "").
    """

    name: str
    kind: Literal["numeric", "categorical"]
    values: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    description: str = ""
    multi: bool = False
    boolean: bool = False


@dataclass
class Dataset:
    """A Personalize dataset held as numpy arrays.

    Attributes
    ----------
    user_ids : ndarray of str, shape (n_users,)
    user_fields : dict[str, ndarray], each shape (n_users,)
        Users.csv metadata columns: float64 for numeric, object (str) for
        categorical.
    user_schema : dict[str, FieldSpec]
    item_ids : ndarray of str, shape (n_items,)
    item_fields : dict[str, ndarray]
        Items.csv metadata columns (bank: NAME, CATEGORY, DESCRIPTION;
        MovieLens: TITLE, YEAR, GENRES), object (str) arrays.
    inter_user, inter_item : ndarray of int32, shape (n_interactions,)
        Row indices into user_ids / item_ids.
    inter_timestamp : ndarray of int64
    inter_event_type : ndarray of str
    inter_event_value : ndarray of float64 or None
    """

    user_ids: np.ndarray
    user_fields: dict[str, np.ndarray]
    user_schema: dict[str, FieldSpec]
    item_ids: np.ndarray
    item_fields: dict[str, np.ndarray]
    inter_user: np.ndarray
    inter_item: np.ndarray
    inter_timestamp: np.ndarray
    inter_event_type: np.ndarray
    inter_event_value: np.ndarray | None = None
    item_schema: dict[str, FieldSpec] = field(default_factory=dict)

    @property
    def n_users(self) -> int:
        return len(self.user_ids)

    @property
    def n_items(self) -> int:
        return len(self.item_ids)


class DatasetWarning(UserWarning):
    """Something in the data the engine leaves out (e.g. a column it cannot use); training goes on."""


@dataclass(frozen=True)
class EventFilter:
    """Which interactions count, as Personalize's solution config chooses them.

    ``event_types``: keep only these EVENT_TYPE values (None keeps all). ``min_value``: drop events
    whose EVENT_VALUE is below it (Personalize's ``eventValueThreshold``; None keeps all).
    """

    event_types: tuple[str, ...] | None = None
    min_value: float | None = None

    def to_json(self) -> dict:
        return {"event_types": list(self.event_types) if self.event_types else None, "min_value": self.min_value}


def load_dataset(path, events: EventFilter | None = None) -> Dataset:
    """Read the Users, Items and Interactions tables of a folder (local path or ``s3://`` URI).

    Each table is ``.csv``, ``.csv.gz`` or ``.parquet``. The Avro schema JSON beside each table
    (``Users.schema.json``...) is used when present: ``int``/``long``/``float``/``double`` fields are
    numeric, ``boolean`` fields take true/false, strings are categorical (``|`` separates the values of
    a multi-valued field, as in Personalize) or, with ``"textual": true``, free text. Without a schema,
    a user column is numeric when every value parses as a number. Columns the engine cannot use
    (not in the schema, or free text in Users) are left out with one :class:`DatasetWarning`.

    Parameters
    ----------
    path : str or Path
        Folder in the Amazon Personalize layout.
    events : EventFilter, optional
        Keep only some event types / events at or above a value (default: every interaction).

    Raises
    ------
    DatasetError
        On anything malformed, naming the file, the row and the column to fix.
    """
    folder = path if isinstance(path, Folder) else Folder(path)
    user_ids, user_fields, user_schema = read_entities(folder, "Users", "USER_ID", numeric_arrays=True)
    item_ids, item_fields, item_schema = read_entities(folder, "Items", "ITEM_ID", numeric_arrays=False)
    inter = _read_interactions(folder.table("Interactions"), user_ids, item_ids, events or EventFilter())
    return Dataset(user_ids=user_ids, user_fields=user_fields, user_schema=user_schema,
                   item_ids=item_ids, item_fields=item_fields, item_schema=item_schema, **inter)


def read_entities(folder: Folder, stem: str, id_column: str, numeric_arrays: bool):
    """Users or Items -> (ids, fields, schema).

    User numeric fields become float64 arrays; item fields stay str (object) arrays.
    """
    table = folder.table(stem)
    file = table.name
    names = header(table)
    avro = folder.schema(stem)
    if id_column not in names:
        raise DatasetError(f"{file}, row 0 (header), column {id_column}: missing column; "
                           f"the header has {','.join(names)}")
    skipped = []
    if avro is not None:
        for name, spec in avro.items():
            if name not in names and not field_type(spec)[1]:
                raise DatasetError(f"{file}, row 0 (header), column {name}: missing column "
                                   f"(declared in {stem}{SCHEMA_SUFFIX})")
        skipped += [f"{n} (not in {stem}{SCHEMA_SUFFIX})" for n in names if n not in avro]
    columns = read_all(table, [n for n in names if avro is None or n in avro])
    ids = col.ids(columns[id_column], file, id_column)
    fields, schema = {}, {}
    for name, values in columns.items():
        if name == id_column:
            continue
        spec = _field(values, file, name, avro.get(name) if avro else None, numeric_arrays)
        if spec is None:
            skipped.append(f"{name} (free text)")
            continue
        fields[name], schema[name] = spec
    if skipped and numeric_arrays:
        warnings.warn(DatasetWarning(f"{file}: the engine leaves out {', '.join(skipped)}"), stacklevel=3)
    return ids, fields, schema


def _field(values, file: str, name: str, avro: dict | None, numeric_arrays: bool):
    """(column array, FieldSpec) of one metadata column, or None for free text in Users."""
    base, nullable = field_type(avro) if avro else (None, True)
    doc = avro.get("doc", "") if avro else ""
    if avro is None and numeric_arrays:
        numeric = _all_numbers(values)
    else:
        numeric = base in col.NUMERIC_TYPES
    if numeric:
        integer = col.NUMERIC_TYPES.get(base)
        numbers = col.numbers(values, file, name, bool(integer), nullable)
        finite = numbers[~np.isnan(numbers)]
        if integer is None:
            integer = bool(np.all(np.mod(finite, 1) == 0))
        spec = FieldSpec(name, "numeric", minimum=float(finite.min()) if finite.size else None,
                         maximum=float(finite.max()) if finite.size else None, integer=bool(integer), description=doc)
        return (numbers if numeric_arrays else np.asarray(col.as_text(values).to_pylist(), dtype=object)), spec
    if base == "boolean":
        text = col.booleans(values, file, name, nullable)
        return text, FieldSpec(name, "categorical", values=("false", "true"), description=doc, boolean=True)
    text = col.strings(values, file, name, nullable)
    if avro is not None and avro.get("textual"):
        if numeric_arrays:
            return None
        return text, FieldSpec(name, "categorical", values=None, description=doc)
    multi = bool(pc.any(pc.match_substring(col.as_text(values), "|")).as_py())
    atoms = {a for v in text.tolist() for a in (v.split("|") if multi else (v,)) if a}
    return text, FieldSpec(name, "categorical", values=tuple(sorted(atoms)), description=doc, multi=multi)


def _all_numbers(values) -> bool:
    text = col.as_text(values)
    try:
        pc.cast(pc.if_else(pc.equal(text, ""), None, text), pa.float64())
    except pa.ArrowInvalid:
        return False
    return True


def _read_interactions(table, user_ids: np.ndarray, item_ids: np.ndarray, events: EventFilter) -> dict:
    parts: dict[str, list] = {k: [] for k in ("user", "item", "time", "type", "value")}
    for batch in interaction_batches(table, user_ids, item_ids, events):
        for key, arr in batch.items():
            if arr is not None:
                parts[key].append(arr)
    value = np.concatenate(parts["value"]) if parts["value"] else None
    return dict(inter_user=np.concatenate(parts["user"]), inter_item=np.concatenate(parts["item"]),
                inter_timestamp=np.concatenate(parts["time"]),
                inter_event_type=np.concatenate(parts["type"]).astype(str), inter_event_value=value)


def interaction_batches(table, user_ids: np.ndarray, item_ids: np.ndarray, events: EventFilter):
    """Checked, filtered interactions batch by batch: dicts of ``user``, ``item`` (row indices into
    ``user_ids`` / ``item_ids``), ``time``, ``type`` and ``value`` (None without EVENT_VALUE)."""
    file = table.name
    names = header(table)
    for name in ("USER_ID", "ITEM_ID", "TIMESTAMP"):
        if name not in names:
            raise DatasetError(f"{file}, row 0 (header), column {name}: missing column; "
                               f"the header has {','.join(names)}")
    check_filter(events, names, file)
    known_users, known_items = pa.array(user_ids.tolist()), pa.array(item_ids.tolist())
    for first, batch in batches(table, ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE"]):
        users = col.lookup(batch["USER_ID"], known_users, file, "USER_ID", "Users.csv", first)
        items = col.lookup(batch["ITEM_ID"], known_items, file, "ITEM_ID", "Items.csv", first)
        times = col.numbers(batch["TIMESTAMP"], file, "TIMESTAMP", integer=True, first_row=first).astype(np.int64)
        if "EVENT_TYPE" in batch:
            kinds = col.strings(batch["EVENT_TYPE"], file, "EVENT_TYPE", nullable=False, first_row=first)
        else:
            kinds = np.full(len(users), "interaction", dtype=object)
        value = (col.numbers(batch["EVENT_VALUE"], file, "EVENT_VALUE", integer=False, nullable=True,
                             first_row=first) if "EVENT_VALUE" in batch else None)
        keep = event_mask(events, kinds, value)
        yield {"user": users[keep], "item": items[keep], "time": times[keep], "type": kinds[keep],
               "value": value[keep] if value is not None else None}


def check_filter(events: EventFilter, names: list[str], file: str) -> None:
    """Reject an event filter the table cannot answer (no EVENT_TYPE / EVENT_VALUE column)."""
    if events.event_types and "EVENT_TYPE" not in names:
        raise DatasetError(f"{file}, row 0 (header), column EVENT_TYPE: missing column; keeping only some event "
                           "types needs it (or train without --event-types)")
    if events.min_value is not None and "EVENT_VALUE" not in names:
        raise DatasetError(f"{file}, row 0 (header), column EVENT_VALUE: missing column; a minimum event value "
                           "needs it (or train without --min-event-value)")


def event_mask(events: EventFilter, kinds: np.ndarray, value: np.ndarray | None) -> np.ndarray:
    """Which events of a batch the filter keeps (an empty EVENT_VALUE is below any threshold)."""
    keep = np.ones(len(kinds), dtype=bool)
    if events.event_types:
        keep &= np.isin(kinds.astype(str), np.asarray(events.event_types, dtype=str))
    if events.min_value is not None and value is not None:
        keep &= np.nan_to_num(value, nan=-np.inf) >= events.min_value
    return keep


def write_dataset(dataset: Dataset, path, compress: bool = False) -> None:
    """Write the three CSVs and their Avro schema JSON files into a folder.

    Parameters
    ----------
    dataset : Dataset
    path : str or Path
        Created if missing; existing Users/Items/Interactions files are replaced.
    compress : bool
        Write ``.csv.gz`` (gzip with mtime 0, so the bytes depend on the data only).
    """
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = ".csv.gz" if compress else ".csv"
    for stem in ("Users", "Items", "Interactions"):
        for old in (folder / f"{stem}.csv", folder / f"{stem}.csv.gz"):
            old.unlink(missing_ok=True)
    _write_entities(folder, "Users", "USER_ID", dataset.user_ids, dataset.user_fields,
                    dataset.user_schema, suffix)
    _write_entities(folder, "Items", "ITEM_ID", dataset.item_ids, dataset.item_fields,
                    dataset.item_schema, suffix)
    header = ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"]
    columns = [dataset.user_ids[dataset.inter_user].tolist(), dataset.item_ids[dataset.inter_item].tolist(),
               [str(t) for t in dataset.inter_timestamp.tolist()], [str(e) for e in dataset.inter_event_type.tolist()]]
    fields = [{"name": "USER_ID", "type": "string"}, {"name": "ITEM_ID", "type": "string"},
              {"name": "TIMESTAMP", "type": "long"},
              {"name": "EVENT_TYPE", "type": "string"}]
    if dataset.inter_event_value is not None:
        header.append("EVENT_VALUE")
        columns.append(writer.format_numbers(np.asarray(dataset.inter_event_value, dtype=float), False))
        fields.append({"name": "EVENT_VALUE", "type": "float"})
    writer.write_table(folder / f"Interactions{suffix}", header, columns)
    writer.write_schema(folder / f"Interactions{SCHEMA_SUFFIX}", "Interactions", fields)


def _write_entities(folder, stem, id_column, ids, fields, schema, suffix) -> None:
    header, columns = [id_column], [[str(i) for i in ids.tolist()]]
    avro = [{"name": id_column, "type": "string"}]
    for name, values in fields.items():
        spec = schema.get(name) or FieldSpec(name, "categorical")
        entry: dict = {"name": name}
        if spec.kind == "numeric":
            numbers = np.asarray(values)
            if numbers.dtype.kind != "f":
                numbers = np.array([np.nan if v is None or str(v).strip() == "" else float(v)
                                    for v in numbers.tolist()])
            text = writer.format_numbers(numbers, spec.integer)
            entry["type"] = "int" if spec.integer else "float"
        else:
            text = ["" if v is None else str(v) for v in np.asarray(values, dtype=object).tolist()]
            entry["type"] = "boolean" if spec.boolean else "string"
            if not spec.boolean:
                entry["textual" if spec.values is None else "categorical"] = True
        if any(t == "" for t in text):
            entry["type"] = ["null", entry["type"]]
        if spec.description:
            entry["doc"] = spec.description
        header.append(name)
        columns.append(text)
        avro.append(entry)
    writer.write_table(folder / f"{stem}{suffix}", header, columns)
    writer.write_schema(folder / f"{stem}{SCHEMA_SUFFIX}", stem, avro)
