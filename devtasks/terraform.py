"""The one module that talks to Terraform (through python-terraform).

Each target keeps its own state: the local backend's workspace_dir is the state
root (build/terraform by default) and the workspace is named after the target, so
the states live in build/terraform/local/ and build/terraform/aws/ and never mix
(terraform/main.tf refuses a workspace that differs from the target).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from python_terraform import IsFlagged, Terraform

from devtasks.paths import BUILD, ROOT

CONFIG_DIR = ROOT / "terraform"
STATE_ROOT = BUILD / "terraform"
TARGETS = ("local", "aws")
TIMEOUT_S = 900  # a provider retrying a failing call forever must not hang a deploy


class TerraformError(RuntimeError):
    """A Terraform command failed; the message carries the end of its output."""


def _environment(data_dir: Path) -> dict[str, str]:
    try:
        from localcloud import terraform_env  # CLI config with the provider mirror when there is one
        env = terraform_env()
    except ImportError:
        env = dict(os.environ)
    env["TF_DATA_DIR"] = str(data_dir)
    env["TF_IN_AUTOMATION"] = "1"
    env.pop("TF_WORKSPACE", None)
    return env


class Stack:
    """The product's Terraform configuration for one target and state root.

    Parameters
    ----------
    target : {"local", "aws"}
        Which state (workspace) to use.
    state_root : Path
        Folder holding ``<target>/terraform.tfstate`` (tests use a temporary one).
    """

    def __init__(self, target: str, state_root: Path = STATE_ROOT):
        if target not in TARGETS:
            raise TerraformError(f"unknown target {target!r}: choose local or aws")
        self.target = target
        self.state_root = Path(state_root).resolve()
        self.data_dir = self.state_root / ".terraform-data"
        self.log = self.state_root / target / "terraform.log"
        self._tf = Terraform(working_dir=str(CONFIG_DIR))

    @property
    def state_file(self) -> Path:
        return self.state_root / self.target / "terraform.tfstate"

    def has_resources(self) -> bool:
        """Whether this target's state records any resource."""
        try:
            return bool(json.loads(self.state_file.read_text()).get("resources"))
        except (OSError, ValueError):
            return False

    def forget_state(self) -> None:
        """Drop the state (the resources it names are gone, e.g. the local cloud restarted)."""
        for path in (self.state_file, self.state_file.with_name("terraform.tfstate.backup")):
            path.unlink(missing_ok=True)

    def _call(self, what: str, *args, workspace: bool = True, **options) -> tuple[int, str, str]:
        """Run ``terraform <what>``: python-terraform builds the command line, we run it within TIMEOUT_S."""
        env = _environment(self.data_dir)
        if workspace:
            env["TF_WORKSPACE"] = self.target
        self.log.parent.mkdir(parents=True, exist_ok=True)
        command = self._tf.generate_cmd_string(what, *args, **options)
        try:
            done = subprocess.run(command, cwd=CONFIG_DIR, env=env, capture_output=True, text=True,
                                  timeout=TIMEOUT_S)
            code, out, err = done.returncode, done.stdout, done.stderr
        except subprocess.TimeoutExpired as expired:
            partial = expired.stdout or ""
            code, out = -1, partial.decode(errors="replace") if isinstance(partial, bytes) else partial
            err = (f"terraform {what} did not finish within {TIMEOUT_S} s: a service is probably failing and the "
                   "provider keeps retrying; see the local cloud's log (`invoke cloud.status`)")
        finally:
            self._tf.temp_var_files.clean_up()
        with self.log.open("a") as log:
            log.write(f"$ {' '.join(command)}\n{out}\n{err}\n")
        return code, out, err

    def _run(self, what: str, *args, workspace: bool = True, **kwargs) -> str:
        code, out, err = self._call(what, *args, workspace=workspace, **kwargs)
        if code not in (0, 2) or (code == 2 and what != "plan"):
            tail = "\n".join((err or out).strip().splitlines()[-25:])
            raise TerraformError(f"terraform {what} failed (exit {code}); full log: {self.log}\n{tail}")
        self._last_code = code
        return out

    def init(self) -> None:
        """``terraform init`` with this state root, then select (or create) the target's workspace."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # The data dir remembers the last selected workspace; the other target's selection must not leak
        # into this init (terraform fails on a workspace that this state root does not have).
        (self.data_dir / "environment").unlink(missing_ok=True)
        self._run("init", workspace=False, input=False, reconfigure=IsFlagged, no_color=IsFlagged,
                  backend_config={"workspace_dir": str(self.state_root)})
        self._run("workspace select", "-or-create", self.target, workspace=False, no_color=IsFlagged)

    def _vars(self, variables: dict) -> dict:
        return {"target": self.target, **variables}

    def apply(self, variables: dict, targets: tuple[str, ...] = ()) -> dict:
        """``terraform apply`` (only ``targets`` and their dependencies, if given) and return the outputs;
        ``self.changes`` counts what it did."""
        out = self._run("apply", input=False, auto_approve=IsFlagged, no_color=IsFlagged, var=self._vars(variables),
                        target=list(targets) or None)
        found = re.search(r"Resources: (\d+) added, (\d+) changed, (\d+) destroyed", out or "")
        self.changes = dict(zip(("added", "changed", "destroyed"), map(int, found.groups()))) if found else {}
        return self.outputs()

    def has_changes(self, variables: dict) -> bool:
        """Whether ``terraform plan`` would change anything."""
        self._run("plan", input=False, detailed_exitcode=IsFlagged, no_color=IsFlagged, var=self._vars(variables))
        return self._last_code == 2

    def destroy(self, variables: dict) -> None:
        """``terraform destroy`` (python-terraform's ``-force`` is gone since Terraform 0.15: force=None)."""
        # python-terraform's destroy() adds -force, which Terraform >= 0.15 rejects: force=None drops it.
        code, out, err = self._call("destroy", force=None, auto_approve=IsFlagged, input=False, no_color=IsFlagged,
                                    var=self._vars(variables))
        if code:
            tail = "\n".join((err or out).strip().splitlines()[-25:])
            raise TerraformError(f"terraform destroy failed (exit {code}); full log: {self.log}\n{tail}")

    def outputs(self) -> dict:
        """The root outputs as plain values (empty if nothing is deployed)."""
        if not self.state_file.exists():
            return {}
        out = self._run("output", json=IsFlagged, no_color=IsFlagged)
        return {name: entry["value"] for name, entry in json.loads(out or "{}").items()}
