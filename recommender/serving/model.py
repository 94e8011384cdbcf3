"""The served model: load an artifact, answer recommend / catalogue / metadata_schema. Numpy only.

Scores are linear (see recommender.training.fit for how the weights are fitted):

    score(j) = bias_mode[j] + mean_{i chosen} W_mode[i, j] + sum_{fields given} V_mode[feature, j]

with one weight set per mode (items, metadata, both, neither), blended per mode with a
latent-class posterior when training chose to (recommender.serving.latent):
``(1 - alpha_mode) * linear + alpha_mode * P(j | chosen, fields)``. Each result's
reason names its largest positive contribution: a chosen item ("because you
chose X"), a metadata attribute ("popular with customers whose age is 25–34"),
or, when neither adds anything, the item's overall popularity.
"""
from __future__ import annotations

import numpy as np

from recommender.serving.artifact import ArtifactError, read_artifact, unpack_strings, write_artifact
from recommender.serving.features import Cross, FieldEncoder, cross_feature, feature_texts
from recommender.serving.latent import ARRAYS as LATENT_ARRAYS
from recommender.serving.latent import contributions, posterior_scores, selected_scores

REQUIRED = ("item_ids_blob", "item_ids_off", "bias_none", "bias_items", "bias_meta", "bias_both",
            "w_meta", "w_both_meta")


class Model:
    """A trained recommender.

    Parameters
    ----------
    arrays : dict[str, ndarray]
        The npz arrays (see recommender.training.fit.build_arrays for the layout).
    manifest : dict
        format_version, trained_at, data_fingerprint, hyperparameters, metrics, layout, encoders.
    """

    def __init__(self, arrays: dict, manifest: dict):
        self.arrays = arrays
        self.manifest = manifest
        self.item_ids = unpack_strings(arrays["item_ids_blob"], arrays["item_ids_off"])
        self._index = {item: i for i, item in enumerate(self.item_ids)}
        self.encoders = [FieldEncoder.from_json(e) for e in manifest.get("encoders", [])]
        self._encoder = {e.name: e for e in self.encoders}
        self.crosses = [Cross(*c) for c in manifest.get("crosses", [])]
        self._feature_text = feature_texts(self.encoders, self.crosses)
        self.layout = manifest.get("layout", "dense")
        if self.layout not in ("dense", "sparse"):
            raise ArtifactError(f"unknown model layout {self.layout!r}: retrain it with `invoke train`")
        self.blend = {m: float(v) for m, v in manifest.get("latent_blend", {}).get("alpha", {}).items()}
        self.selection = {m for m, v in manifest.get("latent_blend", {}).get("selection", {}).items() if v}
        if self.blend and any(n not in arrays for n in LATENT_ARRAYS):
            raise ArtifactError("model blends a latent-class scorer but lacks its arrays: retrain it with `invoke train`")
        self._strings: dict[str, list[str]] = {}
        self._category_masks: dict[str, np.ndarray] = {}

    @property
    def n_items(self) -> int:
        return len(self.item_ids)

    # ---------------------------------------------------------------- catalogue & schema
    def _text(self, name: str) -> list[str]:
        if name not in self._strings:
            blob, off = self.arrays.get(f"{name}_blob"), self.arrays.get(f"{name}_off")
            self._strings[name] = unpack_strings(blob, off) if blob is not None else [""] * self.n_items
        return self._strings[name]

    def categories(self) -> list[str]:
        """Every category the ``category`` filter accepts, sorted."""
        return sorted(self._text("tag_names")) if "tag_names_blob" in self.arrays else []

    def catalogue(self) -> list[dict]:
        """Every item: ``{"item_id", "name", "category", "description"}`` in catalogue order."""
        names, cats, descs = self._text("item_names"), self._text("item_categories"), self._text("item_descriptions")
        return [{"item_id": i, "name": n, "category": c, "description": d}
                for i, n, c, d in zip(self.item_ids, names, cats, descs)]

    def metadata_schema(self) -> list[dict]:
        """The user fields the model knows, for forms and validation (see the package README)."""
        out = []
        for enc in self.encoders:
            entry = {"name": enc.name, "label": enc.label, "description": enc.description}
            if enc.kind == "categorical":
                entry.update(type="categorical", values=list(enc.values), multi=enc.multi,
                             other_values="by prefix" if enc.prefixes else "ignored")
            else:
                entry.update(type="integer" if enc.integer else "number", minimum=enc.minimum, maximum=enc.maximum)
            out.append(entry)
        return out

    # ---------------------------------------------------------------- validation
    def _item_indices(self, items, what: str) -> list[int]:
        if items is None:
            return []
        if isinstance(items, (str, bytes)) or not hasattr(items, "__iter__"):
            raise ValueError(f"{what} must be a list of item ids; got {type(items).__name__}")
        out, seen = [], set()
        for item in items:
            if not isinstance(item, str):
                raise ValueError(f"{what}: item ids are strings; got {item!r} ({type(item).__name__})")
            if item not in self._index:
                raise ValueError(f"{what}: unknown item id {item!r}; allowed ids are the model's catalogue "
                                 f"({self.n_items} items, e.g. {', '.join(self.item_ids[:3])})")
            if item in seen and what == "items":
                raise ValueError(f"items: {item!r} is given twice; choose distinct items")
            seen.add(item)
            out.append(self._index[item])
        return out

    def _meta_features(self, metadata) -> list[int]:
        if metadata is None:
            return []
        if not isinstance(metadata, dict):
            raise ValueError(f"metadata must be a dict of field -> value; got {type(metadata).__name__}")
        by_field = {}
        for name, value in metadata.items():
            enc = self._encoder.get(name)
            if enc is None:
                known = ", ".join(self._encoder) or "none"
                raise ValueError(f"unknown metadata field {name!r}; known fields: {known}")
            feats = enc.encode_value(value)
            if feats:
                by_field[self.encoders.index(enc)] = feats
        out = [f for j in sorted(by_field) for f in by_field[j]]
        for c in self.crosses:
            if len(by_field.get(c.first, ())) == 1 and len(by_field.get(c.second, ())) == 1:
                out.append(cross_feature(self.encoders, c, by_field[c.first][0], by_field[c.second][0]))
        return out

    def _category_mask(self, category) -> np.ndarray:
        if not isinstance(category, str) or category not in self.categories():
            raise ValueError(f"category {category!r} is not known; choose one of: {', '.join(self.categories())}")
        if category not in self._category_masks:
            tag = self._text("tag_names").index(category)
            indptr, tags = self.arrays["tag_indptr"], self.arrays["tag_indices"]
            owner = np.repeat(np.arange(self.n_items), np.diff(indptr))
            mask = np.zeros(self.n_items, dtype=bool)
            mask[owner[tags == tag]] = True
            self._category_masks[category] = mask
        return self._category_masks[category]

    # ---------------------------------------------------------------- scoring
    def item_scale(self, chosen: int) -> float:
        """Factor on the chosen items' rows: weights fitted on the mean of the revealed indicators
        (pooled) take 1/c; weights fitted on ``reveal`` indicators take reveal/c, which is 1 for the
        site's 5 items and keeps the contributions' scale when fewer or more are chosen."""
        if self.manifest.get("pooled", True):
            return 1.0 / chosen
        return self.manifest.get("reveal", chosen) / chosen

    def _mode(self, idx, feats) -> str:
        return ("both" if feats else "items") if idx else ("meta" if feats else "none")

    def _meta_weights(self, mode: str) -> np.ndarray:
        return self.arrays["w_both_meta" if mode == "both" else "w_meta"]

    def _score(self, idx: list[int], feats: list[int]) -> np.ndarray:
        """Score of every item, shape (n,), for validated item indices and metadata features."""
        mode = self._mode(idx, feats)
        score = self.arrays[f"bias_{mode}"].astype(np.float32)      # float32 throughout: 2x faster at 100k
        if idx:
            scale = self.item_scale(len(idx))
            if self.layout == "dense":
                rows = self.arrays["w_items" if mode == "items" else "w_both_items"][idx]
                score += rows.sum(axis=0) * np.float32(scale)
            else:
                indptr, indices, data = (self.arrays[k] for k in ("knn_indptr", "knn_indices", "knn_data"))
                for i in idx:
                    score[indices[indptr[i]:indptr[i + 1]]] += data[indptr[i]:indptr[i + 1]] * np.float32(scale)
        if feats:
            score += self._meta_weights(mode)[feats].sum(axis=0)
        alpha = self.blend.get(mode, 0.0)
        if alpha > 0:
            latent = selected_scores if mode in self.selection else posterior_scores
            score = np.float32(1 - alpha) * score + np.float32(alpha) * latent(self.arrays, idx, feats)
        return score

    def _item_contribution(self, mode: str, i: int, j: int, scale: float) -> float:
        """How much chosen item i adds to item j's score."""
        if self.layout == "dense":
            return float(self.arrays["w_items" if mode == "items" else "w_both_items"][i, j]) * scale
        indptr, indices, data = (self.arrays[k] for k in ("knn_indptr", "knn_indices", "knn_data"))
        row = indices[indptr[i]:indptr[i + 1]]
        pos = int(np.searchsorted(row, j))
        return float(data[indptr[i] + pos]) * scale if pos < len(row) and row[pos] == j else 0.0

    def recommend(self, items=None, metadata=None, k: int = 10, exclude=None, category=None) -> list[dict]:
        """Best ``k`` items for a visitor, best first.

        Parameters
        ----------
        items : list of str or None
            Chosen item ids (never returned).
        metadata : dict or None
            User fields (any subset of ``metadata_schema()``; None values are ignored).
        k : int
            How many results (1 or more); fewer come back when fewer items qualify.
        exclude : list of str or None
            Item ids not to return.
        category : str or None
            Return only items of this category (see ``categories()``).

        Returns
        -------
        list of dict
            ``{"item_id": str, "score": float, "reason": str}``.

        Raises
        ------
        ValueError
            Unknown item id, field or category; wrong-typed or out-of-range value; bad k.
        """
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
            raise ValueError(f"k must be a whole number of at least 1; got {k!r}")
        idx = self._item_indices(items, "items")
        feats = self._meta_features(metadata)
        blocked = np.array(sorted(set(self._item_indices(exclude, "exclude") + idx)), dtype=np.int64)
        allowed = self._category_mask(category) if category is not None else None
        score = self._score(idx, feats)
        ranked = score.copy()
        ranked[blocked] = -np.inf
        available = self.n_items - len(blocked)
        if allowed is not None:
            ranked[~allowed] = -np.inf
            available = int(np.count_nonzero(allowed)) - int(np.count_nonzero(allowed[blocked]))
        k = min(int(k), available)
        if k == 0:
            return []
        top = np.argpartition(-ranked, k - 1)[:k]
        top = top[np.lexsort((top, -ranked[top]))]
        names = self._text("item_names")
        mode = self._mode(idx, feats)
        alpha = self.blend.get(mode, 0.0)
        latent = None
        if alpha > 0:                  # each input's share of the latent part, for the results only
            by_item, by_feat = contributions(self.arrays, idx, feats, top)
            latent = (alpha * by_item, alpha * by_feat)
        return [{"item_id": self.item_ids[j], "score": float(score[j]),
                 "reason": self._reason(mode, int(j), idx, feats, names, latent, r)} for r, j in enumerate(top)]

    def _reason(self, mode, j, idx, feats, names, latent=None, rank: int = 0) -> str:
        """The largest positive contribution to item j's score (linear part plus latent part), in words."""
        best, text = 0.0, None
        scale = self.item_scale(len(idx)) if idx else 1.0
        linear = 1.0 - self.blend.get(mode, 0.0)
        for r, i in enumerate(idx):
            value = linear * self._item_contribution(mode, i, j, scale) + (latent[0][r, rank] if latent else 0.0)
            if value > best:
                best, text = value, f"because you chose {names[i] or self.item_ids[i]}"
        weights = self._meta_weights(mode)
        for r, f in enumerate(feats):
            value = linear * float(weights[f, j]) + (latent[1][r, rank] if latent else 0.0)
            if value > best:
                best, text = value, f"popular with customers whose {self._feature_text[f]}"
        return text or "popular with all customers"

    # ---------------------------------------------------------------- persistence
    def save(self, directory) -> None:
        """Write the artifact folder (model.npz + manifest.json)."""
        manifest = {k: v for k, v in self.manifest.items() if k not in ("format_version", "npz_sha256", "npz_bytes")}
        write_artifact(directory, self.arrays, manifest)


def load_model(directory) -> Model:
    """Load a model artifact folder written by ``invoke train`` / ``Model.save``.

    Raises
    ------
    ArtifactError (a ValueError)
        Missing, corrupt, truncated or newer-format artifact.
    """
    arrays, manifest = read_artifact(directory, REQUIRED)
    layout = manifest.get("layout")
    needed = ("w_items", "w_both_items") if layout == "dense" else ("knn_indptr", "knn_indices", "knn_data")
    missing = [n for n in needed if n not in arrays]
    if missing:
        raise ArtifactError(f"model at {directory} lacks arrays {', '.join(missing)}: retrain it with `invoke train`")
    return Model(arrays, manifest)
