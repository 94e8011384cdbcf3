"""One Spark session (local[2]) for the module: starting the JVM costs seconds, a job on small data less."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def spark():
    from recommender.training.spark.session import local_session

    session = local_session("local[2]", "1g")
    yield session
    session.stop()
