"""Notebook 03's "deployed recommender" section evaluates the deployed stack through its API (small size)."""
import dataclasses
import importlib.util
from pathlib import Path

import pytest

from recommender import load_dataset, write_dataset

pytestmark = [pytest.mark.stack, pytest.mark.slow, pytest.mark.notebook]

ROOT = Path(__file__).resolve().parents[2]
TEST_USERS = 1000  # the first customers of data/test: ~120 with 6 or more products
API_USERS = 15     # asked per mode: 45 requests


def _run_notebook():
    """tests/notebooks/conftest.py's run_notebook (a sibling folder's conftest is not a fixture here)."""
    spec = importlib.util.spec_from_file_location("notebooks_conftest", ROOT / "tests" / "notebooks" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.run_notebook


def first_users(dataset, n):
    """The dataset restricted to its first ``n`` users (their interactions, every item)."""
    keep = dataset.inter_user < n
    return dataclasses.replace(
        dataset, user_ids=dataset.user_ids[:n], user_fields={k: v[:n] for k, v in dataset.user_fields.items()},
        inter_user=dataset.inter_user[keep], inter_item=dataset.inter_item[keep],
        inter_timestamp=dataset.inter_timestamp[keep], inter_event_type=dataset.inter_event_type[keep],
        inter_event_value=None if dataset.inter_event_value is None else dataset.inter_event_value[keep])


def deployed_model(stack, folder: Path) -> Path:
    """Download the model artifact the stack serves (the Lambda loads it from the models bucket)."""
    s3, bucket, prefix = stack.client("s3"), stack.outputs["models_bucket"], stack.outputs["model_prefix"]
    folder.mkdir()
    for obj in s3.list_objects_v2(Bucket=bucket, Prefix=prefix)["Contents"]:
        (folder / obj["Key"][len(prefix):]).write_bytes(s3.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read())
    return folder


def outputs(notebook, start: str) -> str:
    """The text printed by the cells from the first one whose source contains ``start``."""
    cells = [c for c in notebook.cells if c.cell_type == "code"]
    first = next(i for i, c in enumerate(cells) if start in c.source)
    return "".join(o.get("text", "") for c in cells[first:] for o in c.outputs)


def test_notebook_03_evaluates_the_deployed_stack_through_its_api(deployed_stack, tmp_path):
    # Given the stack deployed with a model, and a small slice of data/test
    model_dir = deployed_model(deployed_stack, tmp_path / "model")
    write_dataset(first_users(load_dataset(ROOT / "data" / "test"), TEST_USERS), tmp_path / "test")

    # When notebook 03 runs with the stack's API URL and the model it serves
    notebook = _run_notebook()("03_evaluate.ipynb", {"NB_MODEL": model_dir, "NB_TEST": tmp_path / "test",
                                                     "NB_API_URL": deployed_stack.api_url,
                                                     "NB_API_USERS": API_USERS,
                                                     "NB_PERSONALIZE_RECORD": tmp_path / "no-personalize.json"},
                                 timeout=120)

    # Then every mode was evaluated through the API, side by side with the offline figures, and they agree
    text = outputs(notebook, "RemoteRecommender(")
    assert f"{API_USERS} customers per mode, {3 * API_USERS} requests" in text
    rows = {tuple(line.split()[:2]): line.split() for line in text.splitlines() if len(line.split()) >= 7}
    for mode in ("products", "details", "both"):
        deployed, offline = rows[(mode, "deployed")], rows[(mode, "offline")]
        assert deployed[2:7] == offline[2:7], (mode, deployed, offline)   # P, NDCG, R, HR, coverage
        assert deployed[7] == "100.0%" and float(deployed[8]) < 1e-4        # same top-10, scores equal
        assert 0 < float(deployed[3]) <= 1
    assert "the deployed stack and the offline evaluation agree" in text

    # And latency percentiles were reported per mode and plotted
    every = next(line.split() for line in text.splitlines() if line.startswith("all "))
    assert every[1] == str(3 * API_USERS)
    p50, p95, p99 = map(float, every[2:5])
    assert 0 < p50 <= p95 <= p99
    last = next(c for c in notebook.cells if c.cell_type == "code" and "latency_summary(every)" in c.source)
    assert any("image/png" in o.get("data", {}) for o in last.outputs)

