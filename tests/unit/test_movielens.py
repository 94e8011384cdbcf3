"""MovieLens-100K loader, on a tiny wheel built at test time (no network)."""
import subprocess
import zipfile

import numpy as np
import pytest

from recommender import DatasetError, load_dataset
from recommender.data import movielens
from recommender.data.movielens import MovieLensError, load_movielens, write_movielens

USERS = "user_id:token\tage:token\tgender:token\toccupation:token\tzip_code:token\n" \
        "1\t24\tM\ttechnician\t85711\n2\t53\tF\tother\t94043\n3\t23\tM\twriter\tT8H1N\n"
ITEMS = "item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq\n" \
        "10\tToy Story\t1995\tAnimation Children's Comedy\n20\tHeat, The\t1995\tAction Crime Thriller\n" \
        "30\tunkonwn\tunkonwn\tunknown\n"
RATINGS = "user_id:token\titem_id:token\trating:float\ttimestamp:float\n" \
          "2\t10\t4\t881250949\n1\t20\t5\t881250950\n1\t10\t3\t881250940\n3\t30\t1\t891717742\n"


def build_wheel(folder, inter=RATINGS):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "recbole-1.2.1-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for part, text in (("user", USERS), ("item", ITEMS), ("inter", inter)):
            archive.writestr(f"recbole/dataset_example/ml-100k/ml-100k.{part}", text)
        archive.writestr("recbole/__init__.py", "")
    return path


@pytest.fixture
def cache(tmp_path):
    build_wheel(tmp_path / "cache")
    return tmp_path / "cache"


def test_converts_users_items_and_ratings(cache):
    data = load_movielens(cache)

    assert data.user_ids.tolist() == ["1", "2", "3"]
    assert data.user_fields["AGE"].tolist() == [24.0, 53.0, 23.0]
    assert data.user_fields["GENDER"].tolist() == ["M", "F", "M"]
    assert data.user_fields["ZIP"].tolist() == ["8", "9", "other"]
    assert data.user_schema["AGE"].kind == "numeric" and data.user_schema["ZIP"].kind == "categorical"
    assert data.item_fields["TITLE"].tolist() == ["Toy Story", "Heat, The", "unkonwn"]
    assert data.item_fields["YEAR"].tolist() == ["1995", "1995", ""]
    assert data.item_fields["GENRES"][0] == "Animation|Children's|Comedy"
    pairs = list(zip(data.user_ids[data.inter_user], data.item_ids[data.inter_item], data.inter_event_value))
    assert pairs == [("1", "10", 3.0), ("1", "20", 5.0), ("2", "10", 4.0), ("3", "30", 1.0)]
    assert set(data.inter_event_type) == {"rating"}
    assert data.inter_timestamp.dtype == np.int64


def test_written_csvs_load_back_the_same(cache, tmp_path):
    data = write_movielens(tmp_path / "ml", cache)

    loaded = load_dataset(tmp_path / "ml")

    assert loaded.user_schema == data.user_schema and loaded.item_schema == data.item_schema
    np.testing.assert_array_equal(loaded.inter_event_value, data.inter_event_value)
    assert loaded.item_fields["TITLE"].tolist() == data.item_fields["TITLE"].tolist()
    assert (tmp_path / "ml" / "Interactions.csv").read_text().splitlines()[0] == \
        "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE"


def test_cache_folder_comes_from_the_environment(tmp_path, monkeypatch):
    build_wheel(tmp_path / "elsewhere")
    monkeypatch.setenv("RECOMMENDER_CACHE", str(tmp_path / "elsewhere"))
    assert load_movielens().n_users == 3


def test_downloads_the_wheel_with_pip_when_not_cached(tmp_path, monkeypatch):
    calls = []

    def fake_pip(command, **kwargs):
        calls.append(command)
        build_wheel(tmp_path / "fresh")
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(movielens.subprocess, "run", fake_pip)
    data = load_movielens(tmp_path / "fresh")
    load_movielens(tmp_path / "fresh")  # second time: from the cache

    assert data.n_items == 3 and len(calls) == 1
    command = calls[0]
    assert command[1:4] == ["-m", "pip", "download"] and "--no-deps" in command
    assert "recbole==1.2.1" in command and command[command.index("--dest") + 1] == str(tmp_path / "fresh")


def test_failed_download_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(movielens.subprocess, "run", lambda command, **kw: subprocess.CompletedProcess(
        command, 1, "", "ERROR: No matching distribution found for recbole==1.2.1"))
    with pytest.raises(MovieLensError, match="could not download recbole==1.2.1 .*No matching distribution"):
        load_movielens(tmp_path / "offline")


def test_malformed_ratings_name_the_row(tmp_path):
    build_wheel(tmp_path / "bad", inter=RATINGS.replace("881250950", "soon"))
    with pytest.raises(DatasetError, match=r"ml-100k.inter, row 2, column timestamp: 'soon' is not a number"):
        load_movielens(tmp_path / "bad")


def test_corrupt_wheel_is_reported(tmp_path):
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "recbole-1.2.1-py3-none-any.whl").write_bytes(b"not a zip")
    with pytest.raises(MovieLensError, match="not a readable wheel"):
        load_movielens(tmp_path / "junk")
