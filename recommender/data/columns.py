"""Converting table columns (pyarrow arrays) to checked numpy arrays, with precise errors.

Rows are numbered from ``first_row`` (1 = the table's first data row), so a batch of a large
file reports the row as it is in the file.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from recommender.data.reader import DatasetError

NUMERIC_TYPES = {"int": True, "long": True, "float": False, "double": False}
TRUE_WORDS = ("true", "1", "yes", "t", "y")
FALSE_WORDS = ("false", "0", "no", "f", "n")


def as_text(array: pa.Array) -> pa.Array:
    """Any column as trimmed strings (nulls become empty strings)."""
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        array = pc.cast(array, pa.string())
    return pc.fill_null(pc.utf8_trim_whitespace(array), "")


def ids(array: pa.Array, file: str, column: str, first_row: int = 1) -> np.ndarray:
    """The id column as a str array; empty and duplicate ids rejected by row."""
    text = as_text(array)
    empty = np.flatnonzero(np.asarray(pc.equal(text, "")))
    if empty.size:
        raise DatasetError(f"{file}, row {first_row + int(empty[0])}, column {column}: the id is empty")
    encoded = text.dictionary_encode()
    codes = np.asarray(encoded.indices)
    if len(encoded.dictionary) < len(codes):
        _, first = np.unique(codes, return_index=True)
        seen = np.zeros(len(codes), dtype=bool)
        seen[first] = True
        row = int(np.flatnonzero(~seen)[0])
        earlier = int(np.flatnonzero(codes == codes[row])[0])
        raise DatasetError(f"{file}, row {first_row + row}, column {column}: duplicate id {text[row].as_py()!r} "
                           f"(first at row {first_row + earlier}); ids must be unique")
    return np.asarray(text.to_numpy(zero_copy_only=False), dtype=str)


def numbers(array: pa.Array, file: str, column: str, integer: bool, nullable: bool = False,
            first_row: int = 1) -> np.ndarray:
    """float64 values (NaN for empty cells when ``nullable``); text or fractions rejected by row."""
    if pa.types.is_integer(array.type) or pa.types.is_floating(array.type):
        out = np.asarray(pc.cast(array, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)
        text = None
    else:
        text = as_text(array)
        empty = np.asarray(pc.equal(text, ""))
        try:
            out = np.asarray(pc.cast(pc.if_else(empty, None, text), pa.float64()).to_numpy(zero_copy_only=False),
                             dtype=np.float64)
        except pa.ArrowInvalid:
            _raise_first_bad(text, file, column, integer, first_row)
    missing = np.isnan(out)
    if missing.any() and not nullable:
        row = first_row + int(np.flatnonzero(missing)[0])
        raise DatasetError(f"{file}, row {row}, column {column}: the value is empty; "
                           "give a number (or declare the field nullable in its schema)")
    bad = ~missing & ~np.isfinite(out)
    if integer:
        bad |= ~missing & np.isfinite(out) & (np.mod(np.where(np.isfinite(out), out, 0), 1) != 0)
    if bad.any():
        _raise_first_bad(text if text is not None else as_text(array), file, column, integer, first_row)
    return out


def _raise_first_bad(text: pa.Array, file: str, column: str, integer: bool, first_row: int):
    for offset, value in enumerate(text.to_pylist()):
        if value == "":
            continue
        try:
            number = float(value)
        except ValueError:
            number = None
        if number is None or not np.isfinite(number):
            raise DatasetError(f"{file}, row {first_row + offset}, column {column}: {value!r} is not a number")
        if integer and number != int(number):
            raise DatasetError(f"{file}, row {first_row + offset}, column {column}: {value!r} is not a whole number")
    raise DatasetError(f"{file}, column {column}: unreadable numbers")  # pragma: no cover


def booleans(array: pa.Array, file: str, column: str, nullable: bool, first_row: int = 1) -> np.ndarray:
    """A boolean column as "true" / "false" strings ("" where empty and nullable)."""
    if pa.types.is_boolean(array.type):
        values = array.to_pylist()
        out = np.array(["" if v is None else ("true" if v else "false") for v in values], dtype=object)
    else:
        lower = pc.utf8_lower(as_text(array))
        is_true = np.asarray(pc.is_in(lower, pa.array(TRUE_WORDS)))
        is_false = np.asarray(pc.is_in(lower, pa.array(FALSE_WORDS)))
        empty = np.asarray(pc.equal(lower, ""))
        wrong = ~(is_true | is_false | empty)
        if wrong.any():
            row = int(np.flatnonzero(wrong)[0])
            raise DatasetError(f"{file}, row {first_row + row}, column {column}: {lower[row].as_py()!r} is not a "
                               "boolean; write true or false")
        out = np.where(is_true, "true", np.where(is_false, "false", "")).astype(object)
    if not nullable:
        empty_rows = np.flatnonzero(out == "")
        if empty_rows.size:
            raise DatasetError(f"{file}, row {first_row + int(empty_rows[0])}, column {column}: the value is empty; "
                               "fill it in (or declare the field nullable in its schema)")
    return out


def strings(array: pa.Array, file: str, column: str, nullable: bool, first_row: int = 1) -> np.ndarray:
    """A categorical or text column as an object array of str ("" where empty, allowed when ``nullable``)."""
    text = as_text(array)
    if not nullable:
        empty = np.flatnonzero(np.asarray(pc.equal(text, "")))
        if empty.size:
            raise DatasetError(f"{file}, row {first_row + int(empty[0])}, column {column}: the value is empty; "
                               "fill it in (or declare the field nullable in its schema)")
    return shared_objects(text)


def shared_objects(text: pa.Array) -> np.ndarray:
    """An object array of str in which equal values share one Python object (8 bytes a row, not ~60):
    a column of 3 million cells with a dozen distinct values stays small."""
    encoded = text.dictionary_encode()
    values = np.empty(len(encoded.dictionary), dtype=object)
    values[:] = encoded.dictionary.to_pylist()
    return values[np.asarray(encoded.indices.to_numpy(zero_copy_only=False))] if len(text) else values[:0]


def lookup(array: pa.Array, known: pa.Array, file: str, column: str, owner: str, first_row: int = 1) -> np.ndarray:
    """Row indices in ``known`` (e.g. Users.csv's ids) of each value; unknown ids rejected by row."""
    text = as_text(array)
    found = pc.index_in(text, value_set=known)
    if found.null_count:
        missing = np.flatnonzero(np.asarray(found.is_null()))
        row = int(missing[0])
        raise DatasetError(f"{file}, row {first_row + row}, column {column}: unknown id {text[row].as_py()!r} "
                           f"(not in {owner}); {missing.size} row(s) of this batch name ids missing from {owner}")
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=np.int32)
