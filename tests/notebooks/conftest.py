"""Executing notebooks: the `run_notebook` fixture (nbclient, this venv's python3 kernel)."""
import os
import re
import sys
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def run_notebook(path, env: dict | None = None, timeout: int = 120):
    """Execute a notebook top to bottom in a fresh kernel running this interpreter.

    Parameters
    ----------
    path : str or Path
        The .ipynb; relative paths are taken from notebooks/. The kernel's working
        directory is the notebook's folder.
    env : dict, optional
        Extra environment variables for the kernel (e.g. NB_TRAIN_USERS).
        Figures use matplotlib's inline backend (Agg rendering to PNG outputs,
        no display needed).
    timeout : int
        Seconds allowed per cell.

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook (outputs filled in).

    Fails the calling test with the failing cell's source and error.
    """
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    path = Path(path) if Path(path).is_absolute() else NOTEBOOKS / path
    notebook = nbformat.read(path, as_version=4)
    manager = KernelManager(kernel_name="python3")
    manager.kernel_spec.argv[0] = sys.executable  # the venv's interpreter, never another python on PATH
    kernel_env = {**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
                  **{k: str(v) for k, v in (env or {}).items()}}
    client = NotebookClient(notebook, km=manager, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute(env=kernel_env)
    except (CellExecutionError, CellTimeoutError) as exc:
        plain = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))  # drop the traceback's terminal colours
        pytest.fail(f"{path.name} failed:\n{plain}", pytrace=False)
    return notebook


@pytest.fixture(name="run_notebook")
def run_notebook_fixture():
    """The `run_notebook` function, for tests under tests/notebooks/."""
    return run_notebook
