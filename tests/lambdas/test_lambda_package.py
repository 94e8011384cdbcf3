"""The deployment package: same source, same bytes; it carries what serving needs and nothing heavy."""
import subprocess
import sys
import zipfile

import pytest
from lambda_fakes import ROOT

from devtasks import lambda_zip

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    folder = tmp_path_factory.mktemp("package")
    files = lambda_zip.entries()
    lambda_zip.write_zip(files, folder / "first.zip")
    lambda_zip.write_zip(lambda_zip.entries(), folder / "second.zip")
    return folder


def test_same_source_gives_the_same_bytes(package):
    assert (package / "first.zip").read_bytes() == (package / "second.zip").read_bytes()


def test_entries_are_sorted_with_fixed_times_and_modes(package):
    with zipfile.ZipFile(package / "first.zip") as archive:
        infos = archive.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


def test_carries_handlers_engine_and_numpy_but_nothing_heavy(package):
    with zipfile.ZipFile(package / "first.zip") as archive:
        names = set(archive.namelist())
    assert {"lambdas/handlers/api.py", "lambdas/handlers/validate.py", "lambdas/handlers/recommend.py",
            "recommender/__init__.py", "recommender/serving/model.py", "numpy/__init__.py"} <= names
    assert not any(n.startswith("recommender/") and not n.startswith("recommender/serving/")
                   and n != "recommender/__init__.py" for n in names), "only the serving subpackage ships"
    tops = {name.split("/")[0] for name in names}
    assert not tops & {"pandas", "scipy", "torch", "boto3", "botocore"}
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)


def test_the_engine_serves_from_the_package_alone(package, tmp_path):
    """With site-packages switched off (-S), the unpacked zip loads the model and recommends."""
    model_dir = ROOT / "build" / "models" / "default"
    if not (model_dir / "manifest.json").exists():
        from devtasks.stack_deploy import train_default
        train_default(model_dir)
    with zipfile.ZipFile(package / "first.zip") as archive:
        archive.extractall(tmp_path / "code")
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "import numpy, recommender.serving.model as m, lambdas.logic.requests;"
        "model = m.load_model(sys.argv[2]); first = model.catalogue()[0]['item_id'];"
        "print(numpy.__file__); print(len(model.recommend(items=[first], k=3)))"
    )
    ran = subprocess.run([sys.executable, "-S", "-c", script, str(tmp_path / "code"), str(model_dir)],
                         capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    numpy_file, count = ran.stdout.split()
    assert numpy_file.startswith(str(tmp_path / "code")) and count == "3"
