"""Build the Lambda deployment package: same source, same bytes.

The zip holds the handlers (``lambdas/``), the engine's serving subpackage
(``recommender/serving/`` and the package's lazy ``__init__``) and numpy
for Lambda's platform (manylinux2014 x86_64) and the runtime's CPython (3.11 for
``python3.11``...), installed once into a cache under build/lambda/deps. One zip per
runtime, ``build/lambda/recommender-<runtime>.zip``: Terraform picks the one matching
``lambda_runtime``. Entries are sorted, timestamps fixed at 1980-01-01 and permissions
fixed, so rebuilding unchanged sources rewrites nothing and a repeat ``terraform apply``
sees the same hash.
"""
from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

from devtasks.paths import BUILD, ROOT

NUMPY = "numpy==2.2.6"  # the newest numpy with manylinux2014 wheels for CPython 3.11, 3.12 and 3.13
RUNTIMES = {"python3.11": "3.11", "python3.12": "3.12", "python3.13": "3.13"}  # Lambda runtime -> CPython
DEFAULT_RUNTIME = "python3.11"  # the README's "Lambda runtime" section says why
PLATFORM = ("--platform", "manylinux2014_x86_64", "--only-binary=:all:", "--implementation", "cp")
LAMBDA_DIR = BUILD / "lambda"
SOURCES = ("lambdas", "recommender/serving")
PACKAGE_INITS = ("recommender/__init__.py",)  # parents of a source, carried without their other modules
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644 << 16


class BuildError(RuntimeError):
    """The package could not be built; the message says what to do."""


def package_path(runtime: str = DEFAULT_RUNTIME) -> Path:
    """Where the zip for ``runtime`` is written (terraform/main.tf looks there by default)."""
    return LAMBDA_DIR / f"recommender-{runtime}.zip"


def python_version(runtime: str) -> str:
    """The CPython version (e.g. "3.11") a Lambda runtime identifier runs."""
    if runtime not in RUNTIMES:
        raise BuildError(f"unknown Lambda runtime {runtime!r}: choose one of {', '.join(RUNTIMES)}")
    return RUNTIMES[runtime]


def dependencies(runtime: str = DEFAULT_RUNTIME) -> Path:
    """The numpy tree for Lambda's ``runtime``, installed once (pip, manylinux2014 wheels only)."""
    version = python_version(runtime)
    target = LAMBDA_DIR / "deps" / f"{NUMPY.replace('==', '-')}-cp{version.replace('.', '')}"
    marker = target / ".complete"
    if marker.exists():
        return target
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile", *PLATFORM,
               "--python-version", version, "--target", str(target), NUMPY]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode:
        raise BuildError(f"pip could not fetch {NUMPY} for Lambda (manylinux2014_x86_64, CPython {version}):\n"
                         f"{result.stderr.strip()[-800:]}\nCheck that PyPI is reachable and retry `invoke build`.")
    marker.write_text(NUMPY + "\n")
    return target


def _wanted(relative: Path) -> bool:
    parts = relative.parts
    return not ("__pycache__" in parts or "tests" in parts or parts[0] == "bin"
                or relative.suffix in (".pyc", ".pyi") or relative.name in (".complete", "README.md"))


def entries(runtime: str = DEFAULT_RUNTIME) -> list[tuple[str, Path]]:
    """``(name in the zip, file)`` for every file the package carries, sorted by name."""
    found: dict[str, Path] = {}
    for source in SOURCES:
        folder = ROOT / source
        if not (folder / "__init__.py").exists():
            raise BuildError(f"{folder} is not a Python package; the Lambda package needs it")
        for path in folder.rglob("*.py"):
            relative = path.relative_to(ROOT)
            if _wanted(relative):
                found[relative.as_posix()] = path
    for name in PACKAGE_INITS:
        found[name] = ROOT / name
    deps = dependencies(runtime)
    for path in deps.rglob("*"):
        relative = path.relative_to(deps)
        if path.is_file() and _wanted(relative):
            found[relative.as_posix()] = path
    return sorted(found.items())


def fingerprint(files: list[tuple[str, Path]]) -> str:
    """SHA-256 over every entry's name and content."""
    digest = hashlib.sha256()
    for name, path in files:
        digest.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def write_zip(files: list[tuple[str, Path]], target: Path) -> None:
    """Write ``files`` with fixed timestamps and permissions, in the given order."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name, path in files:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.external_attr = FILE_MODE
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            archive.writestr(info, path.read_bytes(), compresslevel=6)
    partial.replace(target)


def build(runtime: str = DEFAULT_RUNTIME, target: Path | None = None) -> dict:
    """Build the package for ``runtime`` if its inputs changed.

    Returns
    -------
    dict
        ``{"path", "sha256", "bytes", "files", "rebuilt", "runtime"}``.
    """
    target = target or package_path(runtime)
    files = entries(runtime)
    inputs = fingerprint(files)
    stamp = target.with_suffix(".inputs")
    rebuilt = not (target.exists() and stamp.exists() and stamp.read_text().strip() == inputs)
    if rebuilt:
        write_zip(files, target)
        stamp.write_text(inputs + "\n")
    data = target.read_bytes()
    return {"path": target, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data), "files": len(files),
            "rebuilt": rebuilt, "runtime": runtime}
