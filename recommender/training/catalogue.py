"""The catalogue the model serves: each item's name, category, description and filter tags.

Personalize's Items table has no fixed columns, so the roles are found by name: the name is the first
of NAME, TITLE, PRODUCT_NAME, ITEM_NAME present; the tags (what ``category=`` filters on) are the
values of CATEGORY, GENRES, GENRE or CATEGORY_L1 (``|`` separates several), the first one being the
item's category; the description is DESCRIPTION, else the other short fields (e.g. "1995 · Comedy").
"""
from __future__ import annotations

import numpy as np

from recommender.serving.artifact import pack_strings

NAME_COLUMNS = ("NAME", "TITLE", "PRODUCT_NAME", "ITEM_NAME")
TAG_COLUMNS = ("CATEGORY", "GENRES", "GENRE", "CATEGORY_L1")


def item_texts(item_ids, item_fields: dict) -> tuple[list[str], list[str], list[str], list[list[str]]]:
    """(names, categories, descriptions, filter tags) per item."""
    n = len(item_ids)
    ids = [str(i) for i in item_ids]
    name_col = next((c for c in NAME_COLUMNS if c in item_fields), None)
    names = [str(x) or i for x, i in zip(item_fields[name_col], ids)] if name_col else ids
    tag_col = next((c for c in TAG_COLUMNS if c in item_fields), None)
    tags = [[t.strip() for t in str(x).split("|") if t.strip()] for x in item_fields[tag_col]] if tag_col else [[]] * n
    if "DESCRIPTION" in item_fields:
        descs = [str(x) for x in item_fields["DESCRIPTION"]]
    else:
        others = [c for c in item_fields if c not in (name_col, tag_col)][:2]
        descs = [" · ".join(p for p in [str(item_fields[c][j]) for c in others] + [", ".join(tags[j])] if p)
                 for j in range(n)]
    return names, [t[0] if t else "" for t in tags], descs, tags


def catalogue_arrays(item_ids, item_fields: dict, item_schema: dict | None = None) -> dict[str, np.ndarray]:
    """The artifact's string arrays (ids, names, categories, descriptions, tags) and the tag index."""
    names, cats, descs, tags = item_texts(item_ids, item_fields)
    tag_names = sorted({t for ts in tags for t in ts})
    tag_pos = {t: i for i, t in enumerate(tag_names)}
    out = {}
    for key, values in (("item_ids", [str(i) for i in item_ids]), ("item_names", names),
                        ("item_categories", cats), ("item_descriptions", descs), ("tag_names", tag_names)):
        out[f"{key}_blob"], out[f"{key}_off"] = pack_strings(values)
    out["tag_indptr"] = np.concatenate([[0], np.cumsum([len(t) for t in tags])]).astype(np.int64)
    out["tag_indices"] = np.array([tag_pos[t] for ts in tags for t in ts], dtype=np.int32)
    return out
