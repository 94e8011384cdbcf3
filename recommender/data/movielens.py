"""MovieLens-100K, read from the `recbole` wheel on PyPI and converted to the Personalize layout.

The data's licence forbids redistribution, so it is never committed: the wheel
``recbole==1.2.1`` is downloaded with pip at run time (``pip download
--no-deps``; recbole is *not* installed) into a cache outside git, and the
three atomic files under ``recbole/dataset_example/ml-100k/`` are read straight
from the wheel (a zip).

Conversion
----------
Users.csv : USER_ID, AGE (numeric, years), GENDER (M/F), OCCUPATION,
    ZIP = first character of the ZIP code when it is a digit (the US national
    ZIP area: 0 = New England ... 9 = West Coast), ``other`` for the few
    non-US codes (e.g. Canadian postcodes).
Items.csv : ITEM_ID, TITLE, YEAR (empty when unknown), GENRES ("Action|Comedy").
Interactions.csv : every rating, EVENT_TYPE ``rating``, EVENT_VALUE the rating (1-5).

``raw=True`` keeps the user table as a customer table really is: ZIP_CODE, the full code as a
string (795 distinct values, a few Canadian postcodes among them), instead of the one-digit ZIP
area; the other fields and tables are the same.
"""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np

from recommender.data.dataset import Dataset, DatasetError, FieldSpec, write_dataset

REQUIREMENT = "recbole==1.2.1"
WHEEL_PATTERN = "recbole-1.2.1-*.whl"
INNER = "recbole/dataset_example/ml-100k/ml-100k"
CACHE_ENV = "RECOMMENDER_CACHE"


class MovieLensError(RuntimeError):
    """The recbole wheel could not be downloaded or read; the message says what to do."""


def cache_folder(cache_dir=None) -> Path:
    """Where the wheel is kept: ``cache_dir``, else $RECOMMENDER_CACHE, else ~/.cache/product-recommender."""
    if cache_dir is not None:
        return Path(cache_dir)
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    return Path.home() / ".cache" / "product-recommender"


def fetch_wheel(cache_dir=None) -> Path:
    """Return the cached recbole wheel, downloading it with pip first if needed."""
    folder = cache_folder(cache_dir)
    found = sorted(folder.glob(WHEEL_PATTERN))
    if found:
        return found[0]
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "--disable-pip-version-check", "--quiet", REQUIREMENT, "--dest", str(folder)]
    result = subprocess.run(command, capture_output=True, text=True)
    found = sorted(folder.glob(WHEEL_PATTERN))
    if result.returncode != 0 or not found:
        said = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise MovieLensError(f"could not download {REQUIREMENT} from PyPI into {folder} "
                             f"(pip said: {' / '.join(said) or 'nothing'}). Check the network or the "
                             f"index settings, or put the wheel there by hand (set {CACHE_ENV} to use "
                             "another folder).")
    return found[0]


def load_movielens(cache_dir=None, raw: bool = False) -> Dataset:
    """MovieLens-100K as a `Dataset` (943 users, 1,682 items, 100,000 ratings).

    Parameters
    ----------
    cache_dir : str or Path, optional
        Folder for the wheel (see `cache_folder`).
    raw : bool
        Keep the full ZIP code as a string field ZIP_CODE instead of its first digit (ZIP).
    """
    return read_wheel(fetch_wheel(cache_dir), raw=raw)


def write_movielens(out_dir, cache_dir=None, raw: bool = False) -> Dataset:
    """Write MovieLens-100K as Personalize CSVs into ``out_dir`` (keep it out of git, e.g. build/)."""
    dataset = load_movielens(cache_dir, raw=raw)
    write_dataset(dataset, out_dir)
    return dataset


def read_wheel(wheel: Path, raw: bool = False) -> Dataset:
    """Convert the ml-100k atomic files inside a recbole wheel (or any zip of the same layout)."""
    try:
        with zipfile.ZipFile(wheel) as archive:
            tables = {part: _read_atomic(archive, part) for part in ("user", "item", "inter")}
    except (zipfile.BadZipFile, OSError) as exc:
        raise MovieLensError(f"{wheel}: not a readable wheel ({exc}); delete it and run again") from None
    return _convert(*(tables[p] for p in ("user", "item", "inter")), raw=raw)


def _read_atomic(archive: zipfile.ZipFile, part: str) -> dict[str, list[str]]:
    """One RecBole atomic file (tab-separated, header ``name:type``) as columns by bare name."""
    name = f"{INNER}.{part}"
    try:
        text = archive.read(name).decode("utf-8", errors="replace")
    except KeyError:
        raise DatasetError(f"{name}: missing from the wheel; is it recbole 1.2.1?") from None
    rows = [r for r in csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE) if r]
    if len(rows) < 2:
        raise DatasetError(f"{name}: the file is empty")
    header = [h.split(":")[0] for h in rows[0]]
    for number, row in enumerate(rows[1:], start=1):
        if len(row) != len(header):
            raise DatasetError(f"{name}, row {number}: expected {len(header)} fields, found {len(row)}")
    return {h: [row[k] for row in rows[1:]] for k, h in enumerate(header)}


def _numbers(values: list[str], file: str, column: str) -> np.ndarray:
    try:
        return np.asarray(values, dtype=object).astype(np.float64)
    except ValueError:
        bad = next(k for k, v in enumerate(values) if not _is_number(v))
        raise DatasetError(f"{file}, row {bad + 1}, column {column}: {values[bad]!r} is not a number") from None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def zip_area(code: str) -> str:
    """First digit of a US ZIP code; ``other`` for non-US codes."""
    code = code.strip()
    return code[0] if code[:1].isdigit() else "other"


def _convert(users: dict, items: dict, inter: dict, raw: bool = False) -> Dataset:
    user_ids = np.asarray(users["user_id"], dtype=str)
    age = _numbers(users["age"], "ml-100k.user", "age")
    fields = {"AGE": age, "GENDER": np.asarray(users["gender"], dtype=object),
              "OCCUPATION": np.asarray(users["occupation"], dtype=object),
              "ZIP": np.asarray([zip_area(z) for z in users["zip_code"]], dtype=object)}
    zip_field = ("ZIP", "first digit of the US ZIP code (national area); other = non-US")
    if raw:
        del fields["ZIP"]
        fields["ZIP_CODE"] = np.asarray([z.strip() for z in users["zip_code"]], dtype=object)
        zip_field = ("ZIP_CODE", "postal code")
    schema = {"AGE": FieldSpec("AGE", "numeric", minimum=float(age.min()), maximum=float(age.max()),
                               integer=True, description="age in years")}
    for name, text in (("GENDER", "M or F"), ("OCCUPATION", "occupation"), zip_field):
        schema[name] = FieldSpec(name, "categorical", values=tuple(sorted(set(fields[name].tolist()))),
                                 description=text)
    item_ids = np.asarray(items["item_id"], dtype=str)
    years = [y if y.strip().isdigit() else "" for y in items["release_year"]]
    known = np.array([float(y) for y in years if y])
    genres = ["|".join(g.split()) for g in items["class"]]
    item_fields = {"TITLE": np.asarray(items["movie_title"], dtype=object),
                   "YEAR": np.asarray(years, dtype=object), "GENRES": np.asarray(genres, dtype=object)}
    item_schema = {"TITLE": FieldSpec("TITLE", "categorical", values=None, description="movie title"),
                   "YEAR": FieldSpec("YEAR", "numeric", minimum=float(known.min()), maximum=float(known.max()),
                                     integer=True, description="release year"),
                   "GENRES": FieldSpec("GENRES", "categorical", values=tuple(sorted({g for x in genres for g in x.split("|")})),
                                       description="genres separated by |", multi=True)}
    user_index = {u: k for k, u in enumerate(user_ids.tolist())}
    item_index = {i: k for k, i in enumerate(item_ids.tolist())}
    try:
        u = np.array([user_index[x] for x in inter["user_id"]], dtype=np.int32)
        i = np.array([item_index[x] for x in inter["item_id"]], dtype=np.int32)
    except KeyError as exc:
        raise DatasetError(f"ml-100k.inter: id {exc} is not in ml-100k.user / ml-100k.item") from None
    timestamp = _numbers(inter["timestamp"], "ml-100k.inter", "timestamp").astype(np.int64)
    rating = _numbers(inter["rating"], "ml-100k.inter", "rating")
    order = np.lexsort((timestamp, u))
    return Dataset(user_ids=user_ids, user_fields=fields, user_schema=schema, item_ids=item_ids,
                   item_fields=item_fields, item_schema=item_schema, inter_user=u[order], inter_item=i[order],
                   inter_timestamp=timestamp[order], inter_event_type=np.full(len(u), "rating"),
                   inter_event_value=rating[order])
