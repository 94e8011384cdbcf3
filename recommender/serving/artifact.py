"""The model artifact on disk: a folder with ``model.npz`` (arrays) and ``manifest.json``.

No pickles anywhere: arrays load with ``allow_pickle=False`` and strings are
stored as one UTF-8 byte blob plus offsets. The manifest records the format
version, when and from what data the model was trained, its hyperparameters,
its validation metrics and the SHA-256 of ``model.npz`` (so a corrupt or
truncated file is caught before it is used). Numpy only.
"""
from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import numpy as np

FORMAT_VERSION = 3  # 2: optional latent-class arrays (lc_*); 3: prefix and multi-valued metadata features
NPZ_NAME = "model.npz"
MANIFEST_NAME = "manifest.json"


class ArtifactError(ValueError):
    """A model artifact is missing, corrupt, truncated or from a newer format; the message says what to do."""


def pack_strings(values) -> tuple[np.ndarray, np.ndarray]:
    """Strings -> (uint8 blob, int64 offsets of length n + 1)."""
    encoded = [str(v).encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(e) for e in encoded])
    blob = np.frombuffer(b"".join(encoded), dtype=np.uint8) if encoded else np.zeros(0, dtype=np.uint8)
    return blob.copy(), offsets


def unpack_strings(blob: np.ndarray, offsets: np.ndarray) -> list[str]:
    """Inverse of :func:`pack_strings`."""
    raw = blob.tobytes()
    return [raw[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(len(offsets) - 1)]


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_artifact(directory, arrays: dict[str, np.ndarray], manifest: dict) -> Path:
    """Write ``arrays`` and ``manifest`` into ``directory`` (created if needed); returns the folder."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    npz = out / NPZ_NAME
    tmp = out / (NPZ_NAME + ".tmp.npz")
    np.savez(tmp, **arrays)
    tmp.replace(npz)
    manifest = dict(manifest, format_version=FORMAT_VERSION, npz_sha256=_sha256(npz),
                    npz_bytes=npz.stat().st_size)
    (out / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return out


def read_artifact(directory, required: tuple[str, ...] = ()) -> tuple[dict[str, np.ndarray], dict]:
    """Read and check an artifact folder; returns (arrays, manifest).

    Raises
    ------
    ArtifactError
        The folder or a file is missing, the manifest is not valid JSON, the format is newer than
        this code reads, the npz does not match its recorded checksum or lacks a required array.
    """
    folder = Path(directory)
    retrain = "retrain it with `invoke train` (or point at another model folder)"
    if not folder.is_dir():
        raise ArtifactError(f"model folder {folder} does not exist: {retrain}")
    mpath, npath = folder / MANIFEST_NAME, folder / NPZ_NAME
    for p in (mpath, npath):
        if not p.is_file():
            raise ArtifactError(f"model folder {folder} has no {p.name}: {retrain}")
    try:
        manifest = json.loads(mpath.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArtifactError(f"{mpath} is not valid JSON ({exc}): {retrain}") from exc
    if not isinstance(manifest, dict) or not isinstance(manifest.get("format_version"), int):
        raise ArtifactError(f"{mpath} has no integer format_version: {retrain}")
    version = manifest["format_version"]
    if version > FORMAT_VERSION:
        raise ArtifactError(f"model at {folder} uses artifact format {version}, newer than this code reads "
                            f"({FORMAT_VERSION}): upgrade the recommender package or retrain with this version")
    if manifest.get("npz_sha256") != _sha256(npath):
        raise ArtifactError(f"{npath} is corrupt or truncated (checksum differs from the manifest): {retrain}")
    try:
        with np.load(npath, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ArtifactError(f"{npath} cannot be read ({exc}): {retrain}") from exc
    missing = [name for name in required if name not in arrays]
    if missing:
        raise ArtifactError(f"{npath} lacks arrays {', '.join(missing)}: {retrain}")
    return arrays, manifest
