"""Fixtures: an offline Terraform working copy and the AWS target's plan (see tf_offline.py)."""
from __future__ import annotations

import json

import pytest
from tf_offline import Workdir


@pytest.fixture(scope="session")
def sts_endpoint():
    """moto's server on loopback, answering the plan's one AWS call (GetCallerIdentity)."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def workdir(tmp_path_factory, sts_endpoint):
    work = Workdir(tmp_path_factory.mktemp("tf-offline"), sts_endpoint)
    init = work.run("init", "-input=false", "-no-color", f"-backend-config=workspace_dir={work.root / 'state'}",
                    workspace=None)
    assert init.returncode == 0, init.stderr
    for name in ("aws", "local"):
        created = work.run("workspace", "new", name, workspace=None)
        assert created.returncode == 0, created.stderr
    return work


@pytest.fixture(scope="session")
def aws_plan(workdir):
    """`terraform show -json` of the AWS target's plan."""
    planned = workdir.plan("target=aws")
    assert planned.returncode == 0, planned.stdout + planned.stderr
    shown = workdir.run("show", "-json", "plan.bin")
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)
