"""invoke train / invoke evaluate: fit the model from Personalize tables, measure it on held-out users."""
import time
import warnings
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


@task(help={"data": "Personalize folder (local path or s3://bucket/prefix) with Users, Items and Interactions "
                    "as .csv, .csv.gz or .parquet (default data/train)",
            "out": "model folder to write (default build/models/default)",
            "event_types": "keep only these EVENT_TYPE values, comma-separated (default: every event)",
            "min_event_value": "drop events whose EVENT_VALUE is below this (Personalize's eventValueThreshold)",
            "engine": "local (one machine, the default; no Java) or spark (the statistics on Apache Spark)",
            "target": "upload the model to this stack: local, or aws (with --engine spark: the statistics run on "
                      "EMR Serverless)",
            "master": "Spark master in local mode (default local[2])",
            "memory": "Spark driver memory in local mode (default 4g)"})
def train(c, data="", out="", event_types="", min_event_value=None, engine="local", target="", master="local[2]",
          memory="4g"):
    """Train the recommender on a folder of Personalize tables and save the model artifact."""
    from devtasks import spark
    from recommender.data.dataset import DatasetError, DatasetWarning, EventFilter
    from recommender.training.fit import train_folder

    data_dir = data or str(DATA / "train")
    out_dir = Path(out) if out else DEFAULT_MODEL
    try:
        threshold = None if min_event_value in (None, "") else float(min_event_value)
    except ValueError:
        raise Exit(f"--min-event-value must be a number; got {min_event_value!r}")
    events = EventFilter(tuple(t.strip() for t in event_types.split(",") if t.strip()) or None, threshold)
    spark.check(engine, target)
    print(f"training on {data_dir}" + (f" ({_describe(events)})" if events != EventFilter() else ""))
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DatasetWarning)
        try:
            model = (train_folder(data_dir, progress=True, events=events) if engine == "local"
                     else spark.train_with_spark(data_dir, events, target, master, memory))
        except DatasetError as exc:
            raise Exit(f"cannot train: {exc}")
        except ValueError as exc:
            raise Exit(f"training failed: {exc}")
    for warning in caught:
        if issubclass(warning.category, DatasetWarning):
            print(f"note: {warning.message}")
    m = model.manifest
    print(f"{m['n_users']:,} users, {m['n_items']:,} items, {m['n_interactions']:,} interactions kept")
    for name, field in m.get("fields", {}).items():
        if field["kind"] == "categorical" and field["distinct"] > field["kept"]:
            print(f"  {name}: {field['distinct']:,} distinct values, {field['kept']} kept, {field['prefixes']} "
                  f"prefix groups; {field['users_missing_as_rare']:,} users' values too rare (min "
                  f"{field['min_count']} users) count as missing")
    try:
        model.save(out_dir)
    except OSError as exc:
        raise Exit(f"could not write the model into {out_dir}: {exc}")
    size = sum(p.stat().st_size for p in out_dir.iterdir()) / 1e6
    print(f"trained in {time.perf_counter() - start:.1f} s; wrote {out_dir} ({size:.2f} MB)")
    for name, value in m["metrics"].items():
        print(f"  {name}: {value:.4f}" if isinstance(value, float) else f"  {name}: {value}")
    if target:
        spark.publish(out_dir, target)


def _describe(events) -> str:
    parts = []
    if events.event_types:
        parts.append("event types " + ", ".join(events.event_types))
    if events.min_value is not None:
        parts.append(f"EVENT_VALUE >= {events.min_value:g}")
    return "; ".join(parts)


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
