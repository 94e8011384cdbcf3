"""The statistics job: Spark SQL sums over users, read from a plan that ``prepare`` wrote.

This file is the Spark side of ``invoke train --engine spark``: in local mode the driver imports it,
on EMR Serverless it is the job's entry point (``spark-submit job.py s3://.../plan.json``). It
imports only pyspark and the standard library, so it runs on a stock Spark image with no Python
packages to ship; every formula comes in the plan: per-user weights are a table of item count ``s``
-> coefficient columns computed by the engine's own ``Weighting.coefficients``, and the blocks name
which coefficients each moment sums (recommender.training.statistics is the contract).

Each user's held items are the distinct kept (USER_ID, ITEM) pairs. The job writes Parquet tables
under the plan's ``output``:

=============  ==========================================  =========================================
table          rows                                        sums (one column per weighting x kind)
=============  ==========================================  =========================================
``pairs``      item pairs I <= J co-held by a user          ``a_u a_u^T`` (self-join on the user,
               (or each item's top partners: ``keep``)      grouped by item pair, as SAR+ does)
``items``      items (USERS: users holding it)              ``a_u``
``meta_items`` (feature, item)                              ``m_u a_u^T`` (a join of the two lists)
``meta_meta``  feature pairs F <= G                         ``m_u m_u^T``
``meta``       features (USERS: users having it)            ``m_u``
``sample``     the sampled users: RANK, ITEMS, FEATURES     (the contract's rank rule)
``summary``    one row: users, eligible users, events, the total weight per weighting, top-K flag
=============  ==========================================  =========================================

Users sharing one feature vector are summed together before the metadata blocks are expanded, so
the metadata sums cost the number of distinct feature vectors, not of users.
"""
from __future__ import annotations

import json
import sys

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

USER, ITEM, FEATURES = "USER_ID", "ITEM_ID", "FEATURES"
EXTRA = "EXTRA_FIELDS"


class JobError(ValueError):
    """The data cannot be used as it is (unknown ids, a missing column); the message says what to fix."""


def column(w: int, kind: str) -> str:
    """Name of the coefficient column of weighting number ``w`` and kind ``kind`` (Spark-safe)."""
    return f"c{w}_{kind}"


def read_plan(spark: SparkSession, uri: str) -> dict:
    """The plan JSON from a local path or any URI Spark can read (s3:// on EMR)."""
    text = "\n".join(r.value for r in spark.read.text(uri, wholetext=True).collect())
    return json.loads(text)


def read_table(spark: SparkSession, table: dict) -> DataFrame:
    """A Personalize table (CSV, gzip CSV or Parquet) with upper-cased, trimmed column names.

    A CSV is read with the header's columns (``table["columns"]``) plus one more, EXTRA, which is set
    only on rows with more fields than the header (Spark would drop them silently)."""
    if table["format"] == "parquet":
        df = spark.read.parquet(table["uri"])
        return df.toDF(*[c.strip().upper() for c in df.columns])
    schema = ", ".join(f"`{name}` string" for name in [*table["columns"], EXTRA])
    # RFC 4180 quoting ("" inside quotes); gzip is read by its extension
    return spark.read.options(header=True, escape='"', encoding="UTF-8").schema(schema).csv(table["uri"])


def kept_interactions(df: DataFrame, events: dict) -> DataFrame:
    """USER_ID, ITEM_ID of the interactions the event filter keeps (as recommender.data.dataset does)."""
    df = df.select(*[F.trim(F.col(c).cast("string")).alias(c) for c in df.columns])
    if events.get("event_types"):
        df = df.filter(F.col("EVENT_TYPE").isin(list(events["event_types"])))
    if events.get("min_value") is not None:  # an empty or unreadable EVENT_VALUE is below any threshold
        value = F.coalesce(F.col("EVENT_VALUE").cast("double"), F.lit(float("-inf")))
        df = df.filter(value >= F.lit(float(events["min_value"])))
    return df.select(USER, ITEM, F.col(EXTRA) if EXTRA in df.columns else F.lit(None).alias(EXTRA))


def _sums(columns: list[str]) -> list:
    return [F.sum(c).alias(c) for c in columns]


def _fail_on_unknown(summary: dict) -> None:
    if summary["long_rows"]:
        raise JobError(f"{summary['long_rows']:,} Interactions row(s) have more fields than the header (e.g. a row "
                       f"of user {summary['an_long_row_user']!r}); fix those rows (quote values holding commas)")
    if summary["unknown_users"]:
        raise JobError(f"Interactions name {summary['unknown_users']:,} user id(s) missing from Users (e.g. "
                       f"{summary['an_unknown_user']!r}); add them to Users or remove their interactions")
    if summary["unknown_items"]:
        raise JobError(f"{summary['unknown_items']:,} interaction(s) name item ids missing from Items (e.g. "
                       f"{summary['an_unknown_item']!r}); add them to Items or remove those interactions")


def run(spark: SparkSession, plan: dict) -> dict:
    """Compute every table of the module docstring into ``plan["output"]``; returns the summary row."""
    n_weightings = len(plan["weightings"])
    blocks = plan["blocks"]
    cols = {name: [column(w, k) for w in range(n_weightings) for k in kinds] for name, kinds in blocks.items()}
    every = sorted({c for names in cols.values() for c in names})
    out = plan["output"].rstrip("/")

    interactions = kept_interactions(read_table(spark, plan["interactions"]), plan["events"])
    held = interactions.join(F.broadcast(spark.read.parquet(plan["items"])), ITEM, "left")
    unknown_item = F.when(F.col("ITEM").isNull(), F.col(ITEM))
    per_user = held.groupBy(USER).agg(F.count("*").alias("EVENTS"), F.countDistinct("ITEM").alias("S"),
                                      F.collect_set("ITEM").alias("ITEMS"),
                                      F.count(unknown_item).alias("UNKNOWN_ITEMS"),
                                      F.min(unknown_item).alias("AN_ITEM"),
                                      F.count(EXTRA).alias("LONG_ROWS"))
    rank = F.conv(F.substring(F.sha2(F.col(USER), 256), 1, 15), 16, 10).cast("long")
    users = spark.read.parquet(plan["users"]).withColumn("KNOWN", F.lit(True))
    everyone = (users.join(per_user, USER, "full_outer")
                .select(USER, FEATURES, F.coalesce("S", F.lit(0)).alias("S"), "KNOWN", "EVENTS", "UNKNOWN_ITEMS",
                        "AN_ITEM", "LONG_ROWS", F.coalesce("ITEMS", F.array().cast("array<int>")).alias("ITEMS"),
                        rank.alias("RANK"))
                .join(F.broadcast(spark.read.parquet(plan["weights"])), "S", "left").cache())
    known = F.col("KNOWN").isNotNull()
    summary = everyone.agg(
        F.count(F.when(known, 1)).alias("n_users"),
        F.count(F.when(known & (F.col("S") >= plan["reveal"] + 1), 1)).alias("n_eligible"),
        F.sum("EVENTS").alias("n_events"), F.sum("UNKNOWN_ITEMS").alias("unknown_items"),
        F.min("AN_ITEM").alias("an_unknown_item"), F.count(F.when(~known, 1)).alias("unknown_users"),
        F.min(F.when(~known, F.col(USER))).alias("an_unknown_user"), F.sum("LONG_ROWS").alias("long_rows"),
        F.min(F.when(F.col("LONG_ROWS") > 0, F.col(USER))).alias("an_long_row_user"),
        *_sums([column(w, "one") for w in range(n_weightings)])).first().asDict()
    _fail_on_unknown(summary)
    summary = {k: (v or 0) for k, v in summary.items() if not k.startswith("an_") and k != "long_rows"}

    held_w = everyone.select(USER, F.explode("ITEMS").alias("I"), *every)
    held_w.groupBy("I").agg(F.count("*").alias("USERS"), *_sums(cols["items"])) \
        .write.mode("overwrite").parquet(f"{out}/items")

    a, b = held_w.alias("a"), held_w.select(USER, F.col("I").alias("J")).alias("b")
    pairs = (a.join(b, (F.col(f"a.{USER}") == F.col(f"b.{USER}")) & (F.col("a.I") <= F.col("b.J")))
             .groupBy("a.I", "b.J").agg(*_sums(cols["pairs"])))
    keep = plan.get("keep_neighbours")
    if keep:
        pairs = top_partners(pairs, spark.read.parquet(f"{out}/items"), keep, plan["score"])
    pairs.write.mode("overwrite").parquet(f"{out}/pairs")

    per_vector = sorted(set(cols["meta"]) | set(cols["meta_meta"]))
    vectors = everyone.groupBy(FEATURES).agg(F.count("*").alias("USERS"), *_sums(per_vector)).cache()
    single = vectors.select(F.explode(FEATURES).alias("F"), "USERS", *cols["meta"])
    single.groupBy("F").agg(F.sum("USERS").alias("USERS"), *_sums(cols["meta"])) \
        .write.mode("overwrite").parquet(f"{out}/meta")
    both = (vectors.select(F.explode(FEATURES).alias("F"), FEATURES, *cols["meta_meta"])
            .select("F", F.explode(FEATURES).alias("G"), *cols["meta_meta"]).filter(F.col("F") <= F.col("G")))
    both.groupBy("F", "G").agg(*_sums(cols["meta_meta"])).write.mode("overwrite").parquet(f"{out}/meta_meta")
    crossed = (everyone.select(FEATURES, F.explode("ITEMS").alias("I"), *cols["meta_items"])
               .groupBy(FEATURES, "I").agg(*_sums(cols["meta_items"]))
               .select(F.explode(FEATURES).alias("F"), "I", *cols["meta_items"]))
    crossed.groupBy("F", "I").agg(*_sums(cols["meta_items"])).write.mode("overwrite") \
        .parquet(f"{out}/meta_items")
    vectors.unpersist()

    first = everyone.orderBy("RANK").limit(plan["sample_users"])
    validation = everyone.filter(F.col("S") >= plan["reveal"] + 1).orderBy("RANK").limit(plan["validation_users"])
    first.union(validation).dropDuplicates([USER]).select("RANK", "ITEMS", FEATURES) \
        .coalesce(1).write.mode("overwrite").parquet(f"{out}/sample")

    summary.update(top_partners=keep or 0)
    spark.createDataFrame([json.dumps(summary)], "string").coalesce(1).write.mode("overwrite").text(f"{out}/summary")
    everyone.unpersist()
    return summary


def top_partners(pairs: DataFrame, items: DataFrame, keep: int, score: dict) -> DataFrame:
    """Each item's ``keep`` strongest partners (both directions, plus the diagonal), by the sparse
    solve's normalised score ``pairs[score.cross] / sqrt(items[score.norm]_I * items[score.norm]_J)``."""
    norm = items.select(F.col("I").alias("K"), F.sqrt(F.col(score["norm"])).alias("N"))
    off = pairs.filter(F.col("I") != F.col("J"))
    mirrored = off.unionByName(off.select(F.col("J").alias("I"), F.col("I").alias("J"),
                                          *[c for c in pairs.columns if c not in ("I", "J")]))
    scored = (mirrored.join(F.broadcast(norm).alias("n1"), F.col("I") == F.col("n1.K"))
              .join(F.broadcast(norm).alias("n2"), F.col("J") == F.col("n2.K"))
              .withColumn("SCORE", F.col(score["cross"]) / (F.col("n1.N") * F.col("n2.N"))))
    # the solve's cut key (sparse_items.cut_key): single precision, then the smaller partner index
    order = Window.partitionBy("I").orderBy(F.col("SCORE").cast("float").desc(), F.col("J"))
    best = scored.withColumn("R", F.row_number().over(order)).filter(F.col("R") <= keep)
    return best.select(*pairs.columns).unionByName(pairs.filter(F.col("I") == F.col("J")))


def main(argv=None) -> None:
    """spark-submit entry point: ``job.py PLAN_URI``."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        raise SystemExit("usage: job.py PLAN_URI (the plan.json that `invoke train --engine spark` uploads)")
    spark = SparkSession.builder.appName("recommender-statistics").getOrCreate()
    try:
        summary = run(spark, read_plan(spark, argv[0]))
    finally:
        spark.stop()
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
