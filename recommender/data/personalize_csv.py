"""Low-level reading and writing of Amazon Personalize CSV files and Avro schemas.

`dataset.py` builds on these helpers; every problem found here is raised as a
`DatasetError` that names the file, the row and the column to fix.
"""
from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
from pathlib import Path

import numpy as np


SCHEMA_SUFFIX = ".schema.json"


class DatasetError(ValueError):
    """A Personalize CSV is malformed; the message names file, row and column."""

NUMERIC_TYPES = {"int": True, "long": True, "float": False, "double": False}


def find_table(folder: Path, stem: str, required: bool = True) -> Path | None:
    """Return ``folder/stem.csv`` or ``folder/stem.csv.gz``, whichever exists.

    Raises
    ------
    DatasetError
        If neither exists (and ``required``) or both exist (ambiguous).
    """
    plain, packed = folder / f"{stem}.csv", folder / f"{stem}.csv.gz"
    if plain.exists() and packed.exists():
        raise DatasetError(f"{folder}: both {plain.name} and {packed.name} exist; keep one of them")
    for candidate in (plain, packed):
        if candidate.exists():
            return candidate
    if required:
        raise DatasetError(f"{folder}: {stem}.csv (or {stem}.csv.gz) not found; a Personalize dataset "
                           "folder holds Users.csv, Items.csv and Interactions.csv")
    return None


def read_table(path: Path) -> tuple[list[str], dict[str, list[str]]]:
    """Read a CSV (plain or gzip) into its upper-cased header and one list of strings per column.

    Files without quote characters (the usual interactions file) take a fast path
    that splits the text directly; others go through the csv module.

    Raises
    ------
    DatasetError
        On an empty file, a blank or duplicated header name, or a row whose number of
        fields differs from the header's. Rows are numbered from 1 (the header is row 0).
    """
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise DatasetError(f"{path.name}: cannot be read as a UTF-8 CSV ({exc})") from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line for line in text.split("\n") if line]
    del text
    if not lines:
        raise DatasetError(f"{path.name}, row 0 (header): the file is empty; it needs a header row "
                           "such as USER_ID,... and one row per record")
    rows_of = _split_quoted if any('"' in line for line in lines) else _split_plain
    header_cells, columns = rows_of(path.name, lines)
    header = [name.strip().upper() for name in header_cells]
    for position, name in enumerate(header, start=1):
        if not name:
            raise DatasetError(f"{path.name}, row 0 (header), column {position}: the column has no name")
        if header.count(name) > 1:
            raise DatasetError(f"{path.name}, row 0 (header), column {name}: the column appears twice")
    if len(lines) == 1:
        raise DatasetError(f"{path.name}, row 1: the file has a header but no data rows")
    return header, dict(zip(header, columns))


def _split_plain(file: str, lines: list[str]) -> tuple[list[str], list[list[str]]]:
    header = lines[0].split(",")
    width = len(header)
    commas = width - 1
    if any(line.count(",") != commas for line in lines):
        number = next(n for n, line in enumerate(lines) if line.count(",") != commas)
        _wrong_width(file, number, header, lines[number].count(",") + 1)
    flat = ",".join(lines[1:]).split(",")
    return header, [flat[k::width] for k in range(width)]


def _split_quoted(file: str, lines: list[str]) -> tuple[list[str], list[list[str]]]:
    try:
        rows = list(csv.reader(lines))
    except csv.Error as exc:
        raise DatasetError(f"{file}: not a valid CSV ({exc})") from None
    header, width = rows[0], len(rows[0])
    for number, row in enumerate(rows):
        if len(row) != width:
            _wrong_width(file, number, header, len(row))
    return header, [[row[k] for row in rows[1:]] for k in range(width)]


def _wrong_width(file: str, number: int, header: list[str], found: int):
    raise DatasetError(f"{file}, row {number}: expected {len(header)} fields "
                       f"({','.join(h.strip().upper() for h in header)}), found {found}")


def read_schema(csv_path: Path) -> dict[str, dict] | None:
    """Read the Avro schema JSON beside a CSV (``Users.schema.json`` for ``Users.csv``), if any.

    Returns
    -------
    dict or None
        Field name (upper-cased) -> Avro field dict, in schema order.
    """
    stem = csv_path.name.split(".")[0]
    path = csv_path.parent / f"{stem}{SCHEMA_SUFFIX}"
    if not path.exists():
        return None
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        fields = document["fields"]
        return {f["name"].upper(): f for f in fields}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DatasetError(f"{path.name}: not an Avro record schema with a 'fields' list ({exc})") from None


def field_type(avro_field: dict) -> tuple[str, bool]:
    """Return (base Avro type, nullable) of a schema field; ``["null", "int"]`` -> ("int", True)."""
    kind = avro_field.get("type", "string")
    if isinstance(kind, list):
        base = [k for k in kind if k != "null"]
        return (base[0] if base else "string"), "null" in kind
    return kind, False


def parse_numbers(values: list[str], file: str, column: str, integer: bool,
                  nullable: bool = False) -> np.ndarray:
    """Convert a column of strings to float64 (NaN for empty cells when ``nullable``).

    Raises
    ------
    DatasetError
        Naming the first row whose value is empty or not a (whole) number.
    """
    raw = np.asarray(values, dtype=str)
    empty = raw == ""
    if empty.any() and not nullable:
        row = int(np.flatnonzero(empty)[0]) + 1
        raise DatasetError(f"{file}, row {row}, column {column}: the value is empty; "
                           "give a number (or declare the field nullable in its schema)")
    out = np.full(len(raw), np.nan)
    try:
        out[~empty] = raw[~empty].astype(np.float64)
        finite = np.isfinite(out[~empty]).all()
    except ValueError:
        finite = False
    if finite and (not integer or np.all(np.mod(out[~empty], 1) == 0)):
        return out
    for row, value in enumerate(raw.tolist(), start=1):
        if value == "":
            continue
        try:
            number = float(value)
        except ValueError:
            number = None
        if number is None or not np.isfinite(number):
            raise DatasetError(f"{file}, row {row}, column {column}: {value!r} is not a number")
        if integer and number != int(number):
            raise DatasetError(f"{file}, row {row}, column {column}: {value!r} is not a whole number")
    raise DatasetError(f"{file}, column {column}: unreadable numbers")  # pragma: no cover


def check_ids(values: list[str], file: str, column: str) -> np.ndarray:
    """Return the id column as a str array; reject empty and duplicate ids by row."""
    first_seen: dict[str, int] = {}
    for row, value in enumerate(values, start=1):
        if not value.strip():
            raise DatasetError(f"{file}, row {row}, column {column}: the id is empty")
        if value in first_seen:
            raise DatasetError(f"{file}, row {row}, column {column}: duplicate id {value!r} "
                               f"(first at row {first_seen[value]}); ids must be unique")
        first_seen[value] = row
    return np.asarray(values, dtype=str)


def lookup_ids(values: list[str], index: dict[str, int], file: str, column: str,
               owner: str) -> np.ndarray:
    """Map ids to row indices of ``owner`` (e.g. Users.csv); reject unknown ids by row."""
    out = np.fromiter(map(index.get, values, itertools.repeat(-1)), dtype=np.int64, count=len(values))
    missing = np.flatnonzero(out < 0)
    if missing.size:
        row = int(missing[0]) + 1
        raise DatasetError(f"{file}, row {row}, column {column}: unknown id {values[row - 1]!r} "
                           f"(not in {owner}); {missing.size} row(s) name ids missing from {owner}")
    return out.astype(np.int32)


def open_for_write(path: Path):
    """A text handle for ``path``; ``.gz`` is written with mtime 0 so output is byte-identical."""
    if path.name.endswith(".gz"):
        raw = open(path, "wb")
        packed = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9)
        return _ClosingText(packed, raw)
    return open(path, "w", encoding="utf-8", newline="")


class _ClosingText(io.TextIOWrapper):
    """Text wrapper over a GzipFile that also closes the underlying file."""

    def __init__(self, packed, raw):
        super().__init__(packed, encoding="utf-8", newline="")
        self._raw = raw

    def close(self):
        super().close()
        self._raw.close()


def write_table(path: Path, header: list[str], columns: list[list[str]]) -> None:
    """Write a CSV from string columns (quoted only where needed, ``\\n`` line ends)."""
    with open_for_write(path) as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(zip(*columns))


def write_schema(path: Path, record: str, fields: list[dict]) -> None:
    """Write a Personalize Avro schema JSON (record ``Users``, ``Items`` or ``Interactions``)."""
    document = {"type": "record", "name": record, "namespace": "com.amazonaws.personalize.schema",
                "fields": fields, "version": "1.0"}
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


def format_numbers(values: np.ndarray, integer: bool) -> list[str]:
    """Numbers as CSV strings: whole numbers without a decimal point, NaN as an empty cell."""
    if integer:
        return ["" if np.isnan(v) else str(int(v)) for v in values.tolist()]
    return ["" if np.isnan(v) else repr(v) for v in values.tolist()]
