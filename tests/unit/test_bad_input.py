"""Malformed Personalize CSVs: one DatasetError naming the file, the row and the column."""
import gzip

import pytest

from recommender import DatasetError, load_dataset, write_dataset
from recommender.data.dataset import DatasetWarning
from recommender.synthetic.generator import generate_bank


@pytest.fixture(scope="module")
def tiny_bank():
    return generate_bank(n_train=30, n_test=0, seed=3).train


@pytest.fixture
def folder(tiny_bank, tmp_path):
    write_dataset(tiny_bank, tmp_path)
    return tmp_path


def edit(path, row, column, value):
    """Set one cell (row 0 is the header) of a plain CSV without quoted commas."""
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[row].split(",")
    cells[header.index(column)] = value
    lines[row] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")


def drop_column(path, column):
    lines = [line.split(",") for line in path.read_text().splitlines()]
    k = lines[0].index(column)
    path.write_text("\n".join(",".join(c[:k] + c[k + 1:]) for c in lines) + "\n")


def error_of(folder) -> str:
    with pytest.raises(DatasetError) as caught:
        load_dataset(folder)
    return str(caught.value)


def test_missing_column_in_users(folder):
    drop_column(folder / "Users.csv", "AGE")
    assert error_of(folder).startswith("Users.csv, row 0 (header), column AGE: missing column")


def test_missing_id_column_in_interactions(folder):
    drop_column(folder / "Interactions.csv", "ITEM_ID")
    assert error_of(folder).startswith("Interactions.csv, row 0 (header), column ITEM_ID: missing column")


def test_a_column_not_in_the_schema_is_named_in_one_warning_and_left_out(folder):
    path = folder / "Users.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0] + ",PET,NOTES"] + [line + ",cat,x" for line in lines[1:]]) + "\n")

    with pytest.warns(DatasetWarning) as caught:
        loaded = load_dataset(folder)

    assert len(caught) == 1
    assert str(caught[0].message) == ("Users.csv: the engine leaves out PET (not in Users.schema.json), "
                                      "NOTES (not in Users.schema.json)")
    assert "PET" not in loaded.user_fields and "AGE" in loaded.user_fields


def test_text_in_a_numeric_column(folder):
    edit(folder / "Users.csv", 3, "AGE", "forty")
    assert error_of(folder) == "Users.csv, row 3, column AGE: 'forty' is not a number"


def test_fraction_in_a_whole_number_column(folder):
    edit(folder / "Users.csv", 5, "CUSTOMER_TENURE", "12.5")
    assert error_of(folder) == "Users.csv, row 5, column CUSTOMER_TENURE: '12.5' is not a whole number"


def test_bad_timestamp(folder):
    edit(folder / "Interactions.csv", 7, "TIMESTAMP", "yesterday")
    assert error_of(folder) == "Interactions.csv, row 7, column TIMESTAMP: 'yesterday' is not a number"


def test_empty_value(folder):
    edit(folder / "Users.csv", 2, "SEGMENT", "")
    assert error_of(folder).startswith("Users.csv, row 2, column SEGMENT: the value is empty")


def test_duplicate_user_id(folder):
    first = (folder / "Users.csv").read_text().splitlines()[1].split(",")[0]
    edit(folder / "Users.csv", 4, "USER_ID", first)
    assert error_of(folder).startswith(
        f"Users.csv, row 4, column USER_ID: duplicate id '{first}' (first at row 1)")


def test_duplicate_item_id(folder):
    path = folder / "Items.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines + [lines[2]]) + "\n")
    assert error_of(folder).startswith(
        f"Items.csv, row {len(lines)}, column ITEM_ID: duplicate id 'payroll_account' (first at row 2)")


def test_interaction_with_unknown_user(folder):
    edit(folder / "Interactions.csv", 6, "USER_ID", "U999999")
    assert error_of(folder).startswith(
        "Interactions.csv, row 6, column USER_ID: unknown id 'U999999' (not in Users.csv)")


def test_interaction_with_unknown_item(folder):
    edit(folder / "Interactions.csv", 2, "ITEM_ID", "gold_bars")
    assert error_of(folder).startswith(
        "Interactions.csv, row 2, column ITEM_ID: unknown id 'gold_bars' (not in Items.csv)")


def test_empty_file(folder):
    (folder / "Items.csv").write_text("")
    assert error_of(folder).startswith("Items.csv, row 0 (header): the file is empty")


def test_empty_gzip_file(folder):
    (folder / "Interactions.csv").unlink()
    (folder / "Interactions.csv.gz").write_bytes(gzip.compress(b""))
    assert error_of(folder).startswith("Interactions.csv.gz, row 0 (header): the file is empty")


def test_header_without_rows(folder):
    path = folder / "Users.csv"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    assert error_of(folder).startswith("Users.csv, row 1: the file has a header but no data rows")


def test_row_with_a_missing_field(folder):
    path = folder / "Users.csv"
    lines = path.read_text().splitlines()
    lines[8] = lines[8].rsplit(",", 1)[0]
    path.write_text("\n".join(lines) + "\n")
    assert error_of(folder).startswith("Users.csv, row 8: expected 7 fields")


def test_missing_file(folder):
    (folder / "Items.csv").unlink()
    assert "Items.csv (or Items.csv.gz, Items.parquet) not found" in error_of(folder)


def test_not_a_folder(tmp_path):
    assert "no such folder" in error_of(tmp_path / "nowhere")
