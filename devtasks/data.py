"""invoke data: (re)generate the default dataset, or write MovieLens-100K as Personalize CSVs."""
import time
from pathlib import Path

from invoke import Exit, task

from devtasks.paths import BUILD, DATA, ROOT


def summary(dataset, label: str) -> str:
    """One line per part: users, items, interactions, products per user."""
    from recommender.data.describe import summary as describe

    s = describe(dataset)
    line = f"{label:<6} {s['users']:>9,} users  {s['items']:>7,} items  {s['interactions']:>10,} interactions"
    if s["mean_per_user"] is None:
        return line + "  (no users)"
    return (line + f"  per user: mean {s['mean_per_user']:.2f}, min {s['min_per_user']}, max {s['max_per_user']}, "
            f">= 6: {s['share_with_6_or_more']:.1%}")


@task(help={
    "out": "folder to write train/ and test/ into (default: data/)",
    "users": "training users (default 50,000)",
    "test_users": "test users, disjoint from training (default 10,000)",
    "seed": "random seed; the same seed gives byte-identical files",
    "items": "0 for the bank catalogue; e.g. 100000 for a retail-like catalogue (benchmarks)",
    "compress": "write .csv.gz instead of .csv",
    "movielens": "instead, write MovieLens-100K (downloaded from PyPI's recbole wheel) to --out "
                 "(default build/movielens)",
})
def data(c, out="", users=50_000, test_users=10_000, seed=42, items=0, compress=False, movielens=False):
    """Generate the default dataset into data/train and data/test (or MovieLens with --movielens)."""
    from recommender import DatasetError, write_dataset

    if movielens:
        _movielens(Path(out) if out else BUILD / "movielens")
        return
    if users < 1 or test_users < 0 or items < 0:
        raise Exit("--users must be at least 1, --test-users and --items at least 0")
    from recommender.synthetic.generator import generate_bank

    folder = Path(out) if out else DATA
    started = time.perf_counter()
    bank = generate_bank(n_train=users, n_test=test_users, seed=seed, n_items=items or None)
    drawn = time.perf_counter() - started
    try:
        write_dataset(bank.train, folder / "train", compress=compress)
        write_dataset(bank.test, folder / "test", compress=compress)
    except (OSError, DatasetError) as exc:
        raise Exit(f"could not write the dataset into {folder}: {exc}")
    print(f"drew the data in {drawn:.1f} s, wrote it in {time.perf_counter() - started - drawn:.1f} s")
    print(summary(bank.train, "train"))
    print(summary(bank.test, "test"))
    size = sum(f.stat().st_size for f in folder.glob("*/*") if f.is_file())
    print(f"{_shown(folder)}/train and {_shown(folder)}/test: {size / 1e6:.1f} MB")


def _movielens(folder: Path) -> None:
    from recommender.data.movielens import MovieLensError, write_movielens

    print("MovieLens-100K from the recbole 1.2.1 wheel (licence: no redistribution; keep it out of git)")
    try:
        dataset = write_movielens(folder)
    except MovieLensError as exc:
        raise Exit(str(exc))
    print(summary(dataset, "ml100k"))
    print(f"wrote {_shown(folder)}; train on it with: invoke train --data {_shown(folder)}")


def _shown(folder: Path) -> str:
    try:
        return str(folder.resolve().relative_to(ROOT))
    except ValueError:
        return str(folder)


TASKS = [data]
