"""Helpers for an offline plan of the AWS target: a copy of terraform/ with fake credentials.

Planning against AWS needs credentials and the network. Instead, the test copies
the configuration and adds `offline_override.tf`, a Terraform override file that
gives the provider fake keys and skips every call made while configuring it; the one
call a plan makes (STS GetCallerIdentity, for the account id in trust policies) goes
to moto's server on loopback. `-refresh=false` and an empty state mean nothing else
asks AWS. The plan is what `terraform apply` would create on AWS; its JSON
(`terraform show -json`) is checked.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OVERRIDE = """
provider "aws" {
  access_key                  = "offline"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  endpoints {
    sts = "%s"
  }
}
"""


class Workdir:
    """A copy of the Terraform configuration that runs `terraform` offline."""

    def __init__(self, root: Path, sts_endpoint: str):
        self.root = root
        self.config = root / "terraform"
        shutil.copytree(ROOT / "terraform", self.config, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
        shutil.copytree(ROOT / "stepfunctions", root / "stepfunctions")
        (self.config / "offline_override.tf").write_text(OVERRIDE % sts_endpoint)
        self.package = root / "package.zip"
        self.package.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip: the plan only hashes it
        self.model = root / "model"  # a stand-in artifact: the plan only hashes and names its files
        self.model.mkdir()
        (self.model / "manifest.json").write_text('{"format": 2}')
        (self.model / "model.npz").write_bytes(b"PK\x05\x06" + b"\0" * 18)
        from localcloud import terraform_env

        self.env = terraform_env()
        self.env.update(TF_DATA_DIR=str(root / ".terraform-data"), TF_IN_AUTOMATION="1")
        for key in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            self.env.pop(key, None)

    def run(self, *args: str, workspace: str | None = "aws") -> subprocess.CompletedProcess:
        env = dict(self.env, TF_WORKSPACE=workspace) if workspace else self.env
        return subprocess.run(["terraform", f"-chdir={self.config}", *args], env=env, capture_output=True,
                              text=True, timeout=180)

    def console(self, expression: str) -> str:
        """The value of ``expression`` (e.g. a local) in the AWS target's configuration, as printed."""
        env = dict(self.env, TF_WORKSPACE="aws")
        done = subprocess.run(["terraform", f"-chdir={self.config}", "console", *_console_flags(self)], env=env,
                              input=expression + "\n", capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
        value = done.stdout.strip()
        return value[1:-1].encode().decode("unicode_escape") if value.startswith('"') else value

    def plan(self, *variables: str, workspace: str = "aws") -> subprocess.CompletedProcess:
        flags = [f"-var={v}" for v in (f"lambda_zip={self.package}", f"model_dir={self.model}", *variables)]
        return self.run("plan", "-input=false", "-refresh=false", "-no-color", "-out=plan.bin", *flags,
                        workspace=workspace)


def _console_flags(workdir) -> list[str]:
    return [f"-var=lambda_zip={workdir.package}", f"-var=model_dir={workdir.model}", "-var=target=aws"]


def resources(plan: dict) -> list[dict]:
    """Every planned resource and data source, across modules."""
    def walk(module):
        yield from module.get("resources", [])
        for child in module.get("child_modules", []):
            yield from walk(child)

    return list(walk(plan["planned_values"]["root_module"]))


def changes(plan: dict) -> dict[str, dict]:
    """``address -> change`` for every planned resource."""
    return {c["address"]: c["change"] for c in plan["resource_changes"]}
