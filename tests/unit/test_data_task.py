"""`invoke data` regenerates the committed default dataset byte for byte."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FILES = ("Users.csv", "Items.csv", "Interactions.csv",
         "Users.schema.json", "Items.schema.json", "Interactions.schema.json")


def run_invoke(*args):
    return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, capture_output=True, text=True)


def test_invoke_data_rewrites_the_committed_files_byte_for_byte(tmp_path):
    result = run_invoke("data", "--out", str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert "train     50,000 users" in result.stdout and "test      10,000 users" in result.stdout
    for part in ("train", "test"):
        for name in FILES:
            committed = ROOT / "data" / part / name
            assert committed.read_bytes() == (tmp_path / part / name).read_bytes(), f"data/{part}/{name} differs"


def test_invoke_data_rejects_bad_sizes(tmp_path):
    result = run_invoke("data", "--out", str(tmp_path), "--users", "0")
    assert result.returncode != 0 and "--users must be at least 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_invoke_data_without_test_users_ends_with_a_summary(tmp_path):
    result = run_invoke("data", "--out", str(tmp_path), "--users", "500", "--test-users", "0")
    assert result.returncode == 0, result.stderr
    assert "test           0 users" in result.stdout and "(no users)" in result.stdout
    assert "Traceback" not in result.stderr
