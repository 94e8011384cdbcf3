"""Session fixture `deployed_stack`: the product deployed to a local cloud of its own.

The local cloud runs on a free port with its state in a temporary folder, and the
Terraform state lives beside it, so a developer's own `invoke deploy` is never
touched. Deployed once per session (~25 s), destroyed at the end. `both_stack` is a second
one answering with both backends (engine and the local cloud's Amazon Personalize). Attributes:
``website_url``, ``api_url``, ``endpoint``, ``outputs`` (every Terraform output),
``client(service)`` (boto3 for the stack's local cloud).
"""
from __future__ import annotations

import io
import os
import socket
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # devtasks/ and lambdas/ live at the repository root
    sys.path.insert(0, str(ROOT))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class DeployedStack:
    """The deployed product: URLs, Terraform outputs, and helpers to inspect or redo it."""

    root: Path
    port: int
    deployment: object = None
    destroyed: bool = False
    backend: str | None = None            # builtin, personalize or both (devtasks/personalize.py)
    personalize_data: Path | None = None  # the CSVs Personalize imports
    log: io.StringIO = field(default_factory=io.StringIO)

    @contextmanager
    def _cloud_env(self):
        """The local cloud's settings (port, state folder) only while deploy/destroy run."""
        saved = {k: os.environ.get(k) for k in ("LOCALCLOUD_STATE_DIR", "LOCALCLOUD_PORT")}
        os.environ.update(LOCALCLOUD_STATE_DIR=str(self.root / "localcloud"), LOCALCLOUD_PORT=str(self.port))
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    def env(self) -> dict:
        """Environment for a subprocess that works on this stack (local cloud, Terraform state)."""
        return dict(os.environ, LOCALCLOUD_STATE_DIR=str(self.root / "localcloud"), LOCALCLOUD_PORT=str(self.port),
                    RECOMMENDER_STATE_ROOT=str(self.root / "terraform"))

    def deploy(self, model_dir=None):
        """Deploy (or re-deploy) to this stack's local cloud; returns the Deployment."""
        from rich.console import Console

        from devtasks.paths import DEFAULT_MODEL
        from devtasks.stack_deploy import deploy

        with self._cloud_env():
            self.deployment = deploy("local", state_root=self.root / "terraform", site_dir=self.root / "site",
                                     port=self.port, console=Console(file=self.log, width=120),
                                     model_dir=model_dir or DEFAULT_MODEL, backend=self.backend,
                                     personalize_data=self.personalize_data)
        self.destroyed = False
        return self.deployment

    def destroy(self, stop_cloud: bool = True) -> dict:
        """Destroy every resource (and stop the local cloud); returns the step timings."""
        from rich.console import Console

        from devtasks.stack_deploy import destroy

        with self._cloud_env():
            timings = destroy("local", state_root=self.root / "terraform", stop_cloud=stop_cloud,
                              console=Console(file=self.log, width=120))
        self.destroyed = True
        return timings

    def restart_cloud(self) -> None:
        """Stop and start the local cloud: it comes back empty, with a new boot id."""
        import localcloud

        with self._cloud_env():
            localcloud.stop()
            localcloud.start(self.port)

    def _ensure(self):
        if self.destroyed or self.deployment is None:
            self.deploy()
        return self.deployment

    @property
    def outputs(self) -> dict:
        return self._ensure().outputs

    @property
    def website_url(self) -> str:
        return self._ensure().website_url

    @property
    def api_url(self) -> str:
        return self._ensure().api_url

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, service: str):
        """A boto3 client for the stack's local cloud."""
        from devtasks.clients import client

        return client(service, "us-east-1", self.endpoint)


def _up(stack: DeployedStack):
    """Deploy ``stack``, yield it, destroy it; a failed deploy fails with the deploy's own progress lines."""
    try:
        stack.deploy()
    except Exception as error:  # show the deploy's own progress lines with the failure
        try:
            stack.destroy()
        except Exception as cleanup:  # noqa: BLE001 - the deploy's error is the one to show
            stack.log.write(f"\ncleaning up after the failed deploy also failed: {cleanup}\n")
        pytest.fail(f"deploying the stack failed: {error}\n{stack.log.getvalue()}", pytrace=False)
    yield stack
    if not stack.destroyed:
        stack.destroy()


@pytest.fixture(scope="session")
def deployed_stack(tmp_path_factory):
    """The product deployed to a local cloud on a free port; destroyed when the session ends."""
    yield from _up(DeployedStack(root=tmp_path_factory.mktemp("stack"), port=_free_port()))


PERSONALIZE_CUSTOMERS = 600  # the first customers of data/train: ~1,900 interactions, trained in seconds


def first_customers(source: Path, n: int, target: Path) -> Path:
    """Write the first ``n`` users of a Personalize dataset (their interactions, every item) into ``target``."""
    import dataclasses

    from recommender import load_dataset, write_dataset

    ds = load_dataset(source)
    keep = ds.inter_user < n
    small = dataclasses.replace(
        ds, user_ids=ds.user_ids[:n], user_fields={k: v[:n] for k, v in ds.user_fields.items()},
        inter_user=ds.inter_user[keep], inter_item=ds.inter_item[keep], inter_timestamp=ds.inter_timestamp[keep],
        inter_event_type=ds.inter_event_type[keep],
        inter_event_value=None if ds.inter_event_value is None else ds.inter_event_value[keep])
    write_dataset(small, target)
    return target


@pytest.fixture(scope="session")
def both_stack(tmp_path_factory):
    """The product deployed with ``recommender_backend = both``: our engine's list with Amazon Personalize's
    beside it, Personalize (the local cloud's) trained on the first customers of data/train."""
    root = tmp_path_factory.mktemp("stack-both")
    data = first_customers(ROOT / "data" / "train", PERSONALIZE_CUSTOMERS, root / "personalize-data")
    yield from _up(DeployedStack(root=root, port=_free_port(), backend="both", personalize_data=data))
