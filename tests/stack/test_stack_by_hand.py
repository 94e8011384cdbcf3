"""terraform apply by hand (the README's commands), then `invoke publish`: a working site in Chromium;
then `invoke deploy` changes nothing and `invoke destroy` leaves nothing. A local cloud of its own.

The test also refreshes docs/site.png, the README's screenshot, when the site looks different."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures_stack import DeployedStack, _free_port

pytestmark = [pytest.mark.stack, pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "site.png"


def terraform(stack, *args):
    """`terraform -chdir=terraform ...` as the README shows it, on this test's state and data folders."""
    from localcloud import terraform_env

    env = terraform_env(stack.env())
    env["TF_DATA_DIR"] = str(stack.root / "hand-data")
    done = subprocess.run(["terraform", "-chdir=terraform", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def invoke(stack, *args):
    done = subprocess.run([sys.executable, "-m", "invoke", *args], cwd=ROOT, env=stack.env(), capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def recommend_in_chromium(url: str, png: Path) -> dict:
    """The site in Chromium (site_in_chromium.py, in its own process): ``{"shown", "errors"}``."""
    done = subprocess.run([sys.executable, str(Path(__file__).with_name("site_in_chromium.py")), url, str(png)],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout[-1000:] + done.stderr[:1500]
    return json.loads(done.stdout.strip().splitlines()[-1])


def refresh_screenshot(png: bytes) -> None:
    """Keep docs/site.png current: rewrite it only when the site looks different (>1% of pixels)."""
    import io

    import numpy as np
    from PIL import Image

    if SCREENSHOT.exists():
        old, new = (np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=np.int16)
                    for data in (SCREENSHOT.read_bytes(), png))
        if old.shape == new.shape and (np.abs(old - new).max(axis=2) > 16).mean() < 0.01:
            return
    SCREENSHOT.parent.mkdir(exist_ok=True)
    SCREENSHOT.write_bytes(png)


def test_hand_apply_then_publish_then_deploy_and_destroy(tmp_path_factory):
    stack = DeployedStack(root=tmp_path_factory.mktemp("by-hand"), port=_free_port())
    import localcloud

    with stack._cloud_env():
        localcloud.start(stack.port)
    try:
        # Given the README's hand commands against a running local cloud
        terraform(stack, "init", "-input=false", f"-backend-config=workspace_dir={stack.root / 'terraform'}")
        terraform(stack, "workspace", "select", "-or-create", "local")
        terraform(stack, "apply", "-input=false", "-auto-approve", "-var", "target=local",
                  "-var", f"local_endpoint={stack.endpoint}")

        # When `invoke publish` runs, the site works in Chromium
        published = invoke(stack, "publish")
        assert "published to" in published and "uploaded" in published
        website = next(line.split()[-1] for line in published.splitlines() if "website:" in line)
        seen = recommend_in_chromium(website, stack.root / "site.png")
        assert seen["shown"] >= 1 and seen["errors"] == []
        refresh_screenshot((stack.root / "site.png").read_bytes())

        # Then `invoke deploy` changes nothing, and `invoke destroy` leaves nothing (twice: harmless)
        again = stack.deploy()
        assert again.changes["terraform"] == {"added": 0, "changed": 0, "destroyed": 0}
        assert again.changes["site"]["uploaded"] == []
        invoke(stack, "destroy", "--keep-cloud")
        assert stack.client("s3").list_buckets()["Buckets"] == []
        assert stack.client("lambda").list_functions()["Functions"] == []
        second = subprocess.run([sys.executable, "-m", "invoke", "destroy", "--keep-cloud"], cwd=ROOT,
                                env=stack.env(), capture_output=True, text=True, timeout=300)
        assert second.returncode == 0 and "nothing is deployed on local" in second.stderr + second.stdout
    finally:
        with stack._cloud_env():
            localcloud.stop()
