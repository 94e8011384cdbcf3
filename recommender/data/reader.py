"""Reading Amazon Personalize tables with pyarrow: CSV (plain or gzip) or Parquet, local or ``s3://``.

A dataset folder holds ``Users``, ``Items`` and ``Interactions`` tables, each as ``.csv``,
``.csv.gz`` or ``.parquet``, with an optional Avro schema beside it (``Users.schema.json``).
Tables are read in batches of about ``BLOCK_BYTES`` of text, so memory follows what the caller
keeps, not the file. Every problem raises :class:`DatasetError` naming the file, the row
(1 = the first data row, 0 = the header) and the column, and saying what to fix.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.fs as pafs
import pyarrow.parquet as pq

SCHEMA_SUFFIX = ".schema.json"
SUFFIXES = ((".csv", "csv"), (".csv.gz", "csv"), (".parquet", "parquet"))
BLOCK_BYTES = 32 << 20
PARQUET_BATCH_ROWS = 1 << 20


class DatasetError(ValueError):
    """A Personalize table is malformed or missing; the message names file, row and column."""


@dataclass(frozen=True)
class Table:
    """One table file: where it is, its name for messages and its format ("csv" or "parquet")."""

    fs: pafs.FileSystem
    path: str
    name: str
    format: str


class Folder:
    """A dataset folder: a local path or an ``s3://bucket/prefix`` URI (pyarrow's filesystems).

    For S3, credentials and region come from the usual AWS settings; ``AWS_ENDPOINT_URL`` points
    pyarrow at another endpoint (e.g. the local cloud).
    """

    def __init__(self, location):
        self.location = str(location)
        try:
            if "://" in self.location:
                self.fs, self.path = pafs.FileSystem.from_uri(self.location)
            else:
                self.fs, self.path = pafs.LocalFileSystem(), str(Path(self.location).resolve())
            kind = self.fs.get_file_info(self.path).type
        except (OSError, pa.ArrowException) as exc:
            raise DatasetError(f"{self.location}: cannot be opened ({exc})") from None
        if kind != pafs.FileType.Directory:
            raise DatasetError(f"{self.location}: no such folder; give a folder holding Users.csv, Items.csv "
                               "and Interactions.csv (or run `invoke data` for the default dataset)")

    def table(self, stem: str, required: bool = True) -> Table | None:
        """The ``stem`` table in whichever format exists.

        Raises
        ------
        DatasetError
            If none exists (and ``required``) or several do (ambiguous).
        """
        found = []
        for suffix, fmt in SUFFIXES:
            path = f"{self.path}/{stem}{suffix}"
            if self.fs.get_file_info(path).type == pafs.FileType.File:
                found.append(Table(self.fs, path, f"{stem}{suffix}", fmt))
        if len(found) > 1:
            names = " and ".join(t.name for t in found)
            raise DatasetError(f"{self.location}: both {names} exist; keep one of them")
        if not found and required:
            raise DatasetError(f"{self.location}: {stem}.csv (or {stem}.csv.gz, {stem}.parquet) not found; a "
                               "Personalize dataset folder holds Users.csv, Items.csv and Interactions.csv")
        return found[0] if found else None

    def schema(self, stem: str) -> dict[str, dict] | None:
        """The Avro schema beside a table, as field name (upper-cased) -> Avro field, or None."""
        path = f"{self.path}/{stem}{SCHEMA_SUFFIX}"
        if self.fs.get_file_info(path).type != pafs.FileType.File:
            return None
        name = f"{stem}{SCHEMA_SUFFIX}"
        try:
            with self.fs.open_input_stream(path) as handle:
                document = json.loads(handle.read().decode("utf-8-sig"))
            return {f["name"].upper(): f for f in document["fields"]}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise DatasetError(f"{name}: not an Avro record schema with a 'fields' list ({exc})") from None


def field_type(avro_field: dict) -> tuple[str, bool]:
    """(base Avro type, nullable) of a schema field; ``["null", "int"]`` -> ("int", True)."""
    kind = avro_field.get("type", "string")
    if isinstance(kind, list):
        base = [k for k in kind if k != "null"]
        return (base[0] if base else "string"), "null" in kind
    return kind, False


def header(table: Table) -> list[str]:
    """The table's column names, upper-cased, checked (none blank, none twice)."""
    names = _raw_header(table)
    upper = [n.strip().upper() for n in names]
    for position, name in enumerate(upper, start=1):
        if not name:
            raise DatasetError(f"{table.name}, row 0 (header), column {position}: the column has no name")
        if upper.count(name) > 1:
            raise DatasetError(f"{table.name}, row 0 (header), column {name}: the column appears twice")
    return upper


def _raw_header(table: Table) -> list[str]:
    if table.format == "parquet":
        try:
            with table.fs.open_input_file(table.path) as handle:
                return list(pq.ParquetFile(handle).schema_arrow.names)
        except (OSError, pa.ArrowException) as exc:
            raise DatasetError(f"{table.name}: cannot be read as Parquet ({exc})") from None
    try:
        with table.fs.open_input_stream(table.path, compression="detect") as handle:
            head = handle.read(1 << 20)
    except (OSError, pa.ArrowException, EOFError) as exc:
        raise DatasetError(f"{table.name}: cannot be read ({exc})") from None
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = head[: head.find(b"\n")].decode("utf-8-sig", errors="strict") if b"\n" in head else ""
    line = text.split("\n", 1)[0].rstrip("\r")
    if not line.strip():
        raise DatasetError(f"{table.name}, row 0 (header): the file is empty; it needs a header row "
                           "such as USER_ID,... and one row per record")
    return next(csv.reader([line]))


def batches(table: Table, columns: list[str] | None = None) -> Iterator[tuple[int, dict[str, pa.Array]]]:
    """Yield ``(first row number, {column: array})`` batches; CSV columns come as strings.

    Parameters
    ----------
    columns : list of str, optional
        Upper-cased names to read (default all); others are skipped while parsing.

    Raises
    ------
    DatasetError
        Wrong number of fields in a row, invalid UTF-8, or a header without data rows.
    """
    names = header(table)
    wanted = names if columns is None else [n for n in names if n in columns]
    reader = _parquet_batches if table.format == "parquet" else _csv_batches
    first = 1
    for batch in reader(table, names, wanted):
        if batch.num_rows:
            yield first, {name: batch.column(k) for k, name in enumerate(wanted)}
            first += batch.num_rows
    if first == 1:
        raise DatasetError(f"{table.name}, row 1: the file has a header but no data rows")


def read_all(table: Table, columns: list[str] | None = None) -> dict[str, pa.Array]:
    """Every row of the wanted columns, one array per column."""
    parts: dict[str, list] = {}
    for _, batch in batches(table, columns):
        for name, array in batch.items():
            parts.setdefault(name, []).append(array)
    return {name: pa.concat_arrays(chunks) if len(chunks) > 1 else chunks[0] for name, chunks in parts.items()}


def _csv_batches(table: Table, names: list[str], wanted: list[str]):
    raw = _raw_header(table)
    bad: list = []

    def invalid(row):  # pyarrow counts the header as row 1
        bad.append(row)
        return "skip"

    read = pacsv.ReadOptions(use_threads=False, block_size=BLOCK_BYTES, skip_rows=1, column_names=names,
                             encoding="utf8")
    parse = pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=invalid)
    convert = pacsv.ConvertOptions(column_types={n: pa.string() for n in wanted}, include_columns=wanted,
                                   strings_can_be_null=False, quoted_strings_can_be_null=False)
    try:
        stream = table.fs.open_input_stream(table.path, compression="detect")
        reader = pacsv.open_csv(stream, read_options=read, parse_options=parse, convert_options=convert)
        for batch in reader:
            if bad:
                row = bad[0]
                raise DatasetError(f"{table.name}, row {row.number - 1}: expected {len(raw)} fields "
                                   f"({','.join(names)}), found {row.actual_columns}")
            yield batch
        if bad:
            row = bad[0]
            raise DatasetError(f"{table.name}, row {row.number - 1}: expected {len(raw)} fields "
                               f"({','.join(names)}), found {row.actual_columns}")
    except pa.ArrowInvalid as exc:
        if "UTF8" in str(exc):
            raise DatasetError(f"{table.name}, row {_first_bad_utf8_row(table)}: not valid UTF-8 text; save the file "
                               "as UTF-8") from None
        raise DatasetError(f"{table.name}: not a valid CSV ({exc})") from None
    except (OSError, EOFError) as exc:
        raise DatasetError(f"{table.name}: cannot be read ({exc})") from None


def _first_bad_utf8_row(table: Table) -> int:
    """Row number of the first line that is not UTF-8 (error path only: reads the file as bytes)."""
    with table.fs.open_input_stream(table.path, compression="detect") as handle:
        data = handle.read()
    for number, line in enumerate(io.BytesIO(data)):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return number
    return 0


def _parquet_batches(table: Table, names: list[str], wanted: list[str]):
    try:
        with table.fs.open_input_file(table.path) as handle:
            source = pq.ParquetFile(handle)
            by_upper = {n.strip().upper(): n for n in source.schema_arrow.names}
            for batch in source.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=[by_upper[n] for n in wanted]):
                yield batch
    except (OSError, pa.ArrowException) as exc:
        raise DatasetError(f"{table.name}: cannot be read as Parquet ({exc})") from None
