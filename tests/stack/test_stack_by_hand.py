"""terraform apply by hand (the README's commands), then `invoke publish`: a working site in Chromium;
then `invoke deploy` changes nothing and `invoke destroy` leaves nothing. A local cloud of its own.

The test also refreshes docs/site.png, the README's screenshot, when the site looks different."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures_stack import DeployedStack, _free_port

pytestmark = [pytest.mark.stack, pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "site.png"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


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


def recommend_in_chromium(url: str) -> tuple[int, bytes]:
    """Open the site, pick five products, ask for recommendations; the count shown and a screenshot."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(15_000)
            errors = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(url)
            for _ in range(5):
                page.locator('#track .pick[aria-pressed="false"]:not([disabled])').first.click()
            page.get_by_role("button", name="Get Recommendations").click()
            expect(page.locator("#results-section .result").first).to_be_visible()
            assert errors == []
            page.locator("#results-section").scroll_into_view_if_needed()
            return page.locator("#results-section .result").count(), page.screenshot(full_page=True)
        finally:
            browser.close()


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
        shown, png = recommend_in_chromium(website)
        assert shown >= 1
        refresh_screenshot(png)

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
