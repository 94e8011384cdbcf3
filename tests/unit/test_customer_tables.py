"""A customer table as real ones are: a postal code of many rare values, a multi-valued field, a
boolean, empty cells, free text, and values never seen in training — trained from the files."""
from __future__ import annotations

import json

import numpy as np
import pytest

from recommender.data.dataset import DatasetWarning, EventFilter, load_dataset
from recommender.training import Hyperparameters
from recommender.training.fit import train_folder

ALPHA = [f"a{i}" for i in range(6)]
BETA = [f"b{i}" for i in range(6)]


def write_customer_tables(folder, n_users: int = 400, seed: int = 0) -> None:
    """Alpha customers live in postal area 10 and like sport and music; Beta customers live in area
    20 and read books. Every postal code is rare (1-3 customers); only its first digits say the
    taste. Some cells are empty. Items carry multi-valued GENRES."""
    rng = np.random.default_rng(seed)
    users = ["USER_ID,POSTCODE,INTERESTS,PREMIUM,INCOME,NOTES"]
    inter = ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE"]
    for u in range(n_users):
        alpha = u % 2 == 0
        code = f"{10 if alpha else 20}{rng.integers(0, 300):03d}"
        interests = ("sport|music" if rng.random() < 0.5 else "music") if alpha else "books"
        interests = "" if rng.random() < 0.2 else interests
        premium = "true" if alpha else "false"
        income = "" if rng.random() < 0.3 else str(int(rng.integers(20, 90)) * 1000)
        users.append(f'u{u},{code},{interests},{premium},{income},"free text, with a comma\nand a newline"')
        taste = ALPHA if alpha else BETA
        for i, item in enumerate(taste):
            if rng.random() < 1 - 0.12 * i:
                inter.append(f"u{u},{item},{1000 + u},purchase,{rng.integers(1, 6)}")
        inter.append(f"u{u},c0,{2000 + u},view,1")
    items = ["ITEM_ID,TITLE,GENRES"] + [f"{i},Item {i},Alpha|Outdoor" for i in ALPHA] + \
        [f"{i},Item {i},Beta" for i in BETA] + ["c0,Item c0,Common"]
    (folder / "Users.csv").write_text("\n".join(users) + "\n")
    (folder / "Interactions.csv").write_text("\n".join(inter) + "\n")
    (folder / "Items.csv").write_text("\n".join(items) + "\n")
    string = {"type": ["null", "string"], "categorical": True}
    schema = {"type": "record", "name": "Users", "namespace": "com.amazonaws.personalize.schema", "version": "1.0",
              "fields": [{"name": "USER_ID", "type": "string"}, {"name": "POSTCODE", **string},
                         {"name": "INTERESTS", **string}, {"name": "PREMIUM", "type": "boolean"},
                         {"name": "INCOME", "type": ["null", "int"]},
                         {"name": "NOTES", "type": ["null", "string"], "textual": True}]}
    (folder / "Users.schema.json").write_text(json.dumps(schema))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("customers")
    write_customer_tables(path)
    return path


@pytest.fixture(scope="module")
def model(folder):
    with pytest.warns(DatasetWarning, match="NOTES"):
        return train_folder(folder, Hyperparameters(latent_classes=(), powers=(0.0,)))


def top(model, k=4, **kwargs):
    return [r["item_id"] for r in model.recommend(k=k, **kwargs)]


def test_field_kinds_are_read_from_the_schema_and_the_values(folder):
    ds = load_dataset(folder)
    schema = ds.user_schema
    assert schema["INTERESTS"].multi and schema["INTERESTS"].values == ("books", "music", "sport")
    assert schema["PREMIUM"].boolean and set(ds.user_fields["PREMIUM"]) == {"true", "false"}
    assert schema["INCOME"].kind == "numeric" and np.isnan(ds.user_fields["INCOME"]).any()
    assert "NOTES" not in ds.user_fields                      # free text in Users: left out, with a warning
    assert "free text" not in "".join(ds.user_fields["POSTCODE"])  # the quoted newline stayed in its cell


def test_rare_postal_codes_pool_under_their_area_prefix(model):
    encoders = {e.name: e for e in model.encoders}
    postcode = encoders["POSTCODE"]
    assert postcode.values == () and set(postcode.prefixes) >= {"10", "20"}
    report = model.manifest["fields"]["POSTCODE"]
    assert report["distinct"] > 200 and report["kept"] == 0 and report["users_missing_as_rare"] == 0


def test_a_postal_code_never_seen_in_training_still_says_its_area(model):
    assert set(top(model, metadata={"POSTCODE": "10999"})) <= set(ALPHA + ["c0"])
    assert set(top(model, metadata={"POSTCODE": "20999"})) <= set(BETA + ["c0"])


def test_a_value_without_any_known_prefix_counts_as_missing(model):
    assert model.recommend(metadata={"POSTCODE": "99999", "INCOME": 50000}) == \
        model.recommend(metadata={"INCOME": 50000})


def test_multi_valued_fields_take_a_joined_string_or_a_list(model):
    joined = model.recommend(metadata={"INTERESTS": "sport|music"})
    assert joined == model.recommend(metadata={"INTERESTS": ["music", "sport"]})
    assert set(r["item_id"] for r in joined[:4]) <= set(ALPHA + ["c0"])
    assert set(top(model, metadata={"INTERESTS": "books"})) <= set(BETA + ["c0"])


def test_booleans_accept_json_booleans_and_words(model):
    assert model.recommend(metadata={"PREMIUM": True}) == model.recommend(metadata={"PREMIUM": "true"})
    assert set(top(model, metadata={"PREMIUM": False})) <= set(BETA + ["c0"])


def test_event_filters_keep_only_what_is_asked_and_are_recorded(folder):
    hp = Hyperparameters(latent_classes=(), powers=(0.0,))
    only_purchases = train_folder(folder, hp, events=EventFilter(("purchase",)))
    assert only_purchases.manifest["events"] == {"event_types": ["purchase"], "min_value": None}
    everything = train_folder(folder, hp)
    assert everything.manifest["n_interactions"] > only_purchases.manifest["n_interactions"]
    high = train_folder(folder, hp, events=EventFilter(min_value=4))
    assert high.manifest["n_interactions"] < only_purchases.manifest["n_interactions"]
    assert high.manifest["events"]["min_value"] == 4


def test_an_event_filter_the_table_cannot_answer_is_a_clear_error(tmp_path):
    from recommender.data.reader import DatasetError

    write_customer_tables(tmp_path, n_users=40)
    path = tmp_path / "Interactions.csv"
    path.write_text("\n".join(line.rsplit(",", 1)[0] for line in path.read_text().splitlines()) + "\n")
    with pytest.raises(DatasetError, match="EVENT_VALUE: missing column; a minimum event value needs it"):
        load_dataset(tmp_path, events=EventFilter(min_value=3))


def test_the_same_tables_as_parquet_or_gzip_give_the_same_model(folder, tmp_path):
    import gzip

    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    for stem in ("Users", "Items", "Interactions"):
        text = (folder / f"{stem}.csv").read_bytes()
        if stem == "Interactions":
            (tmp_path / f"{stem}.csv.gz").write_bytes(gzip.compress(text))
        else:
            table = pacsv.read_csv(folder / f"{stem}.csv", convert_options=pacsv.ConvertOptions(
                column_types={c: "string" for c in text.decode().splitlines()[0].split(",")}))
            pq.write_table(table, tmp_path / f"{stem}.parquet")
    (tmp_path / "Users.schema.json").write_text((folder / "Users.schema.json").read_text())
    hp = Hyperparameters(latent_classes=(), powers=(0.0,))
    with pytest.warns(DatasetWarning):
        a = train_folder(folder, hp)
    with pytest.warns(DatasetWarning):
        b = train_folder(tmp_path, hp)
    assert a.manifest["data_fingerprint"] == b.manifest["data_fingerprint"]
    request = {"items": ["a0", "a1"], "metadata": {"POSTCODE": "10123", "INTERESTS": "music"}}
    assert a.recommend(**request) == b.recommend(**request)
