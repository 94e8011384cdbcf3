"""A Spark session in local mode (the driver's JVM does the work with ``local[N]`` threads)."""
from __future__ import annotations

import os
import shutil
import subprocess

JAVA_HINT = ("Spark needs Java 17 or newer: install Debian's `openjdk-17-jre-headless` "
             "(sudo apt-get install -y openjdk-17-jre-headless) or set JAVA_HOME")


class SparkUnavailable(RuntimeError):
    """Java or pyspark is missing; the message says what to install."""


def java_version() -> int:
    """The major version of the ``java`` Spark would start (JAVA_HOME first, then PATH)."""
    home = os.environ.get("JAVA_HOME")
    java = os.path.join(home, "bin", "java") if home else shutil.which("java")
    if not java or not os.path.exists(java):
        raise SparkUnavailable(f"no Java found. {JAVA_HINT}")
    text = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    quoted = text.split('"')[1] if '"' in text else "0"
    major = quoted.split(".")[0]
    return int(major) if major.isdigit() else 0


def local_session(master: str = "local[2]", memory: str = "4g", scratch: str | None = None):
    """A SparkSession for ``master`` (``local[N]``), quiet, with few shuffle partitions.

    Raises
    ------
    SparkUnavailable
        pyspark is not installed or Java is missing or too old.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable("pyspark is not installed: run `.venv/bin/pip install -e '.[dev]'`") from None
    version = java_version()
    if version < 17:
        raise SparkUnavailable(f"Java {version} found. {JAVA_HINT}")
    threads = master[len("local["):-1] if master.startswith("local[") else "2"
    cores = os.cpu_count() if threads == "*" else int(threads) if threads.isdigit() else 2
    builder = (SparkSession.builder.master(master).appName("recommender-statistics")
               .config("spark.driver.memory", memory)
               .config("spark.sql.shuffle.partitions", str(max(4, 4 * cores)))
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.adaptive.enabled", "true"))
    if scratch:
        builder = builder.config("spark.local.dir", scratch)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
