"""invoke train / invoke evaluate: fit the model from Personalize CSVs, measure it on held-out users."""
import time
from pathlib import Path

from invoke import Exit, task

from devtasks.paths import DATA, DEFAULT_MODEL


def _load(folder: Path):
    from recommender import DatasetError, load_dataset

    if not folder.is_dir():
        raise Exit(f"data folder {folder} does not exist: run `invoke data` or pass --data DIR")
    try:
        return load_dataset(folder)
    except DatasetError as exc:
        raise Exit(f"cannot read {folder}: {exc}")


@task(help={"data": "folder with Users.csv, Items.csv, Interactions.csv (default data/train)",
            "out": "model folder to write (default build/models/default)"})
def train(c, data="", out=""):
    """Train the recommender on a folder of Personalize CSVs and save the model artifact."""
    from recommender.training import train as fit

    data_dir = Path(data) if data else DATA / "train"
    out_dir = Path(out) if out else DEFAULT_MODEL
    ds = _load(data_dir)
    print(f"training on {data_dir}: {ds.n_users:,} users, {ds.n_items:,} items, {len(ds.inter_user):,} interactions")
    start = time.perf_counter()
    try:
        model = fit(ds, progress=True)
    except ValueError as exc:
        raise Exit(f"training failed: {exc}")
    model.save(out_dir)
    size = sum(p.stat().st_size for p in out_dir.iterdir()) / 1e6
    print(f"trained in {time.perf_counter() - start:.1f} s; wrote {out_dir} ({size:.2f} MB)")
    for name, value in model.manifest["metrics"].items():
        print(f"  {name}: {value:.4f}" if isinstance(value, float) else f"  {name}: {value}")


@task(help={"model": "model folder (default build/models/default)",
            "data": "held-out users' CSV folder (default data/test)",
            "k": "list length for the metrics (default 10)",
            "seed": "seed choosing the revealed items"})
def evaluate(c, model="", data="", k=10, seed=0):
    """Evaluate a trained model on held-out users: NDCG, recall, hit rate, precision, coverage per mode."""
    from recommender import load_model
    from recommender.evaluation.scoring import evaluate_model

    model_dir = Path(model) if model else DEFAULT_MODEL
    try:
        m = load_model(model_dir)
    except ValueError as exc:
        raise Exit(f"{exc}")
    ds = _load(Path(data) if data else DATA / "test")
    results = evaluate_model(m, ds, k=k, seed=seed)
    print(f"{'mode':<6} {'users':>6} {'NDCG@' + str(k):>8} {'Recall':>7} {'HitRate':>7} {'Prec':>6} {'Cover':>6}")
    for mode, r in results.items():
        s = r.summary()
        print(f"{mode:<6} {len(r.per_user['ndcg']):>6} {s['ndcg']:>8.4f} {s['recall']:>7.4f} "
              f"{s['hitrate']:>7.4f} {s['precision']:>6.4f} {s['coverage']:>6.3f}")


TASKS = [train, evaluate]
