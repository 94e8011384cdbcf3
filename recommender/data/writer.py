"""Writing Amazon Personalize CSVs and their Avro schemas (reading is in recommender.data.reader).

Output is deterministic: ``.csv.gz`` is written with gzip mtime 0, so the same data gives the same bytes.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import numpy as np



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
