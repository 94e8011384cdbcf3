"""In-memory form of a Personalize dataset (Users.csv, Items.csv, Interactions.csv).

This module fixes the shape every other module builds on. Reading, writing and
validating the CSVs live here too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from recommender.data import personalize_csv as pc
from recommender.data.personalize_csv import DatasetError

__all__ = ["Dataset", "DatasetError", "FieldSpec", "load_dataset", "write_dataset"]


@dataclass(frozen=True)
class FieldSpec:
    """One user (or item) metadata column.

    kind "categorical": ``values`` lists the allowed strings (sorted).
    kind "numeric": ``minimum``/``maximum`` bound it; ``integer`` says whether
    fractional values are allowed.
    """

    name: str
    kind: Literal["numeric", "categorical"]
    values: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    description: str = ""


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


def load_dataset(path) -> Dataset:
    """Read Users.csv, Items.csv, Interactions.csv (plain or .gz) from a folder.

    The Avro schema JSON beside each CSV (``Users.schema.json``...) is used when
    present: ``int``/``long``/``float``/``double`` fields are numeric, strings
    categorical. Without a schema, a user column is numeric when every value
    parses as a number.

    Parameters
    ----------
    path : str or Path
        Folder in the Amazon Personalize layout.

    Raises
    ------
    DatasetError
        On anything malformed, naming the file, the row and the column to fix.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise DatasetError(f"{folder}: no such folder; give a folder holding Users.csv, Items.csv "
                           "and Interactions.csv (or run `invoke data` for the default dataset)")
    user_ids, user_fields, user_schema = _read_entities(pc.find_table(folder, "Users"), "USER_ID", True)
    item_ids, item_fields, item_schema = _read_entities(pc.find_table(folder, "Items"), "ITEM_ID", False)
    inter = _read_interactions(pc.find_table(folder, "Interactions"), user_ids, item_ids)
    return Dataset(user_ids=user_ids, user_fields=user_fields, user_schema=user_schema,
                   item_ids=item_ids, item_fields=item_fields, item_schema=item_schema, **inter)


def _read_entities(csv_path: Path, id_column: str, numeric_arrays: bool):
    """Users.csv or Items.csv -> (ids, fields, schema).

    User numeric fields become float64 arrays; item fields stay str (object) arrays.
    """
    file = csv_path.name
    header, columns = pc.read_table(csv_path)
    avro = pc.read_schema(csv_path)
    if id_column not in columns:
        raise DatasetError(f"{file}, row 0 (header), column {id_column}: missing column; "
                           f"the header has {','.join(header)}")
    if avro is not None:
        for name, spec in avro.items():
            if name not in columns and not pc.field_type(spec)[1]:
                raise DatasetError(f"{file}, row 0 (header), column {name}: missing column "
                                   "(declared in the schema JSON)")
        extra = [name for name in header if name not in avro]
        if extra:
            raise DatasetError(f"{file}, row 0 (header), column {extra[0]}: not declared in "
                               f"{file.split('.')[0]}{pc.SCHEMA_SUFFIX}; add it there or drop it")
    ids = pc.check_ids(columns[id_column], file, id_column)
    fields, schema = {}, {}
    for name in header:
        if name == id_column:
            continue
        values = columns[name]
        spec_json = avro.get(name) if avro else None
        base, nullable = pc.field_type(spec_json) if spec_json else (None, False)
        numeric = base in pc.NUMERIC_TYPES if spec_json else (numeric_arrays and _all_numbers(values))
        doc = spec_json.get("doc", "") if spec_json else ""
        if numeric:
            integer = pc.NUMERIC_TYPES[base] if spec_json else None
            numbers = pc.parse_numbers(values, file, name, bool(integer), nullable)
            if integer is None:
                integer = bool(np.all(np.mod(numbers[~np.isnan(numbers)], 1) == 0))
            finite = numbers[~np.isnan(numbers)]
            schema[name] = FieldSpec(name, "numeric", minimum=float(finite.min()) if finite.size else None,
                                     maximum=float(finite.max()) if finite.size else None,
                                     integer=bool(integer), description=doc)
            fields[name] = numbers if numeric_arrays else np.asarray(values, dtype=object)
        else:
            if not nullable and spec_json is not None:
                _reject_empty(values, file, name)
            fields[name] = np.asarray(values, dtype=object)
            textual = bool(spec_json and spec_json.get("textual"))
            schema[name] = FieldSpec(name, "categorical", values=None if textual else tuple(sorted(set(values))),
                                     description=doc)
    return ids, fields, schema


def _all_numbers(values: list[str]) -> bool:
    try:
        np.asarray(values, dtype=object).astype(np.float64)
    except ValueError:
        return False
    return True


def _reject_empty(values: list[str], file: str, column: str) -> None:
    empty = np.flatnonzero(np.char.str_len(np.char.strip(np.asarray(values, dtype=str))) == 0)
    if empty.size:
        raise DatasetError(f"{file}, row {int(empty[0]) + 1}, column {column}: the value is empty; "
                           "fill it in (or declare the field nullable in its schema)")


def _read_interactions(csv_path: Path, user_ids: np.ndarray, item_ids: np.ndarray) -> dict:
    file = csv_path.name
    header, columns = pc.read_table(csv_path)
    for name in ("USER_ID", "ITEM_ID", "TIMESTAMP"):
        if name not in columns:
            raise DatasetError(f"{file}, row 0 (header), column {name}: missing column; "
                               f"the header has {','.join(header)}")
    users = pc.lookup_ids(columns["USER_ID"], {u: i for i, u in enumerate(user_ids.tolist())},
                          file, "USER_ID", "Users.csv")
    items = pc.lookup_ids(columns["ITEM_ID"], {u: i for i, u in enumerate(item_ids.tolist())},
                          file, "ITEM_ID", "Items.csv")
    timestamps = pc.parse_numbers(columns["TIMESTAMP"], file, "TIMESTAMP", integer=True).astype(np.int64)
    if "EVENT_TYPE" in columns:
        _reject_empty(columns["EVENT_TYPE"], file, "EVENT_TYPE")
        event_type = np.asarray(columns["EVENT_TYPE"], dtype=str)
    else:
        event_type = np.full(len(users), "interaction")
    value = None
    if "EVENT_VALUE" in columns:
        value = pc.parse_numbers(columns["EVENT_VALUE"], file, "EVENT_VALUE", integer=False)
    return dict(inter_user=users, inter_item=items, inter_timestamp=timestamps,
                inter_event_type=event_type, inter_event_value=value)


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
        columns.append(pc.format_numbers(np.asarray(dataset.inter_event_value, dtype=float), False))
        fields.append({"name": "EVENT_VALUE", "type": "float"})
    pc.write_table(folder / f"Interactions{suffix}", header, columns)
    pc.write_schema(folder / f"Interactions{pc.SCHEMA_SUFFIX}", "Interactions", fields)


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
            text = pc.format_numbers(numbers, spec.integer)
            entry["type"] = "int" if spec.integer else "float"
        else:
            text = ["" if v is None else str(v) for v in np.asarray(values, dtype=object).tolist()]
            entry["type"] = "string"
            entry["textual" if spec.values is None else "categorical"] = True
        if any(t == "" for t in text):
            entry["type"] = ["null", entry["type"]]
        if spec.description:
            entry["doc"] = spec.description
        header.append(name)
        columns.append(text)
        avro.append(entry)
    pc.write_table(folder / f"{stem}{suffix}", header, columns)
    pc.write_schema(folder / f"{stem}{pc.SCHEMA_SUFFIX}", stem, avro)
