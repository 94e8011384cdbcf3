"""A local cloud of its own for the Personalize suites (free port, scratch state)."""
from __future__ import annotations

import pytest
from fixtures_stack import _free_port as free_port
from personalize_helpers import Cloud

from localcloud import control


@pytest.fixture(scope="session")
def cloud(tmp_path_factory) -> Cloud:
    state = tmp_path_factory.mktemp("personalize-cloud")
    endpoint = control.start(port=free_port(), state_dir=state)
    yield Cloud(endpoint)
    control.stop(state_dir=state)
