"""One local cloud per test session, on a free port with its own state folder."""
from __future__ import annotations

import pytest
from cloud_helpers import WORKER_CAP, Cloud, free_port

from localcloud import control


@pytest.fixture(scope="session")
def cloud(tmp_path_factory) -> Cloud:
    state = tmp_path_factory.mktemp("localcloud")
    port = free_port()
    endpoint = control.start(port=port, state_dir=state, env={"LOCALCLOUD_LAMBDA_WORKERS": str(WORKER_CAP)})
    yield Cloud(endpoint, port, state)
    control.stop(state_dir=state)


@pytest.fixture(scope="session")
def role_arn(cloud) -> str:
    iam = cloud.client("iam")
    return iam.create_role(RoleName="tests-lambda", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
