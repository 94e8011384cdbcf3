"""Starting and stopping the emulator: idempotent start, own-process stop, a new boot id per start."""
from __future__ import annotations

import json
import urllib.request

import pytest
from cloud_helpers import free_port

from localcloud import control, website_url

pytestmark = [pytest.mark.cloud]


@pytest.mark.slow
def test_start_is_idempotent_stop_ends_it_and_a_restart_gets_a_new_boot_id(tmp_path):
    port = free_port()
    endpoint = control.start(port=port, state_dir=tmp_path)
    try:
        first = control.status(state_dir=tmp_path)
        assert first["running"] and first["endpoint"] == endpoint == f"http://127.0.0.1:{port}"
        assert control.start(port=port, state_dir=tmp_path) == endpoint
        assert control.status(state_dir=tmp_path)["pid"] == first["pid"]
        with urllib.request.urlopen(f"{endpoint}/_localcloud/health") as response:
            assert json.loads(response.read())["boot_id"] == first["boot_id"]
        assert website_url("site", state_dir=tmp_path) == f"{endpoint}/_website/site/"
        assert control.stop(state_dir=tmp_path) is True
        assert control.status(state_dir=tmp_path)["running"] is False
        assert control.health(port) is None
        assert control.stop(state_dir=tmp_path) is False
        control.start(port=port, state_dir=tmp_path)
        assert control.status(state_dir=tmp_path)["boot_id"] not in (None, first["boot_id"])
    finally:
        control.stop(state_dir=tmp_path)


def test_a_port_taken_by_another_program_is_a_clear_error(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(control.LocalCloudError, match="exited during start") as caught:
            control.start(port=port, state_dir=tmp_path, timeout=30)
    assert f"cannot serve on 127.0.0.1:{port}" in str(caught.value)
    assert control.status(state_dir=tmp_path)["running"] is False
