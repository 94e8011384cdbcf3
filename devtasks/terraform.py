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
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from python_terraform import IsFlagged, Terraform

from devtasks.paths import BUILD, ROOT

CONFIG_DIR = ROOT / "terraform"
# Where the states live (RECOMMENDER_STATE_ROOT moves them, e.g. for a test's private stack).
STATE_ROOT = Path(os.environ.get("RECOMMENDER_STATE_ROOT") or BUILD / "terraform")
TARGETS = ("local", "aws")
# On the local cloud a provider retrying a failing call forever must not hang a deploy. On AWS
# nothing is cut short: a first CloudFront distribution alone can take longer than any fixed
# limit, and a killed apply leaves resources outside the state (a retry would make twins).
LOCAL_TIMEOUT_S = 900
GRACE_S = 120  # after asking Terraform to stop: how long the local target waits before killing it


class TerraformError(RuntimeError):
    """A Terraform command failed; the message carries the end of its output."""


class TerraformInterrupted(TerraformError):
    """Terraform was asked to stop (Ctrl-C) and stopped cleanly, saving the state of what it made."""


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
        """Run ``terraform <what>`` (python-terraform builds the command line), streaming its output to the log.

        Terraform runs in its own session so a terminal's Ctrl-C reaches only us: we pass one
        interrupt on (Terraform then finishes the calls in flight and saves the state) and wait.
        """
        env = _environment(self.data_dir)
        if workspace:
            env["TF_WORKSPACE"] = self.target
        self.log.parent.mkdir(parents=True, exist_ok=True)
        command = self._tf.generate_cmd_string(what, *args, **options)
        try:
            with self.log.open("a") as log:
                log.write(f"$ {' '.join(command)}\n")
                log.flush()
                process = subprocess.Popen(command, cwd=CONFIG_DIR, env=env, stdout=subprocess.PIPE,
                                           stderr=subprocess.PIPE, text=True, start_new_session=True)
                out, err = _Collector(process.stdout, log), _Collector(process.stderr, log)
                code = self._wait(process, what)
                out.join(), err.join()
        finally:
            self._tf.temp_var_files.clean_up()
        if code == "interrupted":
            raise TerraformInterrupted(self._interrupted_message(what))
        if code == "timeout":
            return -1, out.text, (f"terraform {what} did not finish within {LOCAL_TIMEOUT_S} s: a local cloud service "
                                  "is probably failing and the provider keeps retrying; see the local cloud's log "
                                  "(`invoke cloud.status`)")
        return code, out.text, err.text

    def _wait(self, process: subprocess.Popen, what: str):
        """The exit code; "interrupted" after a Ctrl-C, "timeout" when the local target's limit passed.

        A first Ctrl-C lets Terraform finish: an interrupted provider can leave a resource it was
        creating outside the state (the next apply then fails with "already exists"). A second one
        passes the interrupt on (Terraform stops scheduling, finishes the calls in flight, saves the
        state); after that we only wait.
        """
        deadline = time.monotonic() + LOCAL_TIMEOUT_S if self.target == "local" else None
        asked_to_stop = None
        while True:
            try:
                code = process.wait(timeout=1.0)
                return "interrupted" if asked_to_stop in ("finish", "interrupt") and code in (0, 1) else code
            except subprocess.TimeoutExpired:
                pass
            except KeyboardInterrupt:
                if asked_to_stop is None:
                    asked_to_stop = "finish"
                    print(self._finishing_message(what), file=sys.stderr, flush=True)
                elif asked_to_stop == "finish":
                    asked_to_stop = "interrupt"
                    process.send_signal(signal.SIGINT)
                    print(self._stopping_message(what), file=sys.stderr, flush=True)
                else:
                    print("still waiting for Terraform to stop cleanly (see "
                          f"{self.log}); killing it now could leave resources outside the state",
                          file=sys.stderr, flush=True)
                continue
            now = time.monotonic()
            if deadline is not None and asked_to_stop is None and now > deadline:
                asked_to_stop = "timeout"
                process.send_signal(signal.SIGINT)
                deadline = now + GRACE_S
            elif deadline is not None and asked_to_stop == "timeout" and now > deadline:
                process.kill()
                process.wait()
                return "timeout"

    def _finishing_message(self, what: str) -> str:
        slow = " (on AWS a CloudFront change can keep it busy for many minutes)" if self.target == "aws" else ""
        return (f"\ninterrupt received: letting terraform {what} finish so the state records everything it "
                f"creates{slow}, then stopping. Ctrl-C again stops Terraform sooner, at the risk of a resource "
                f"being created outside the state. Progress: {self.log}")

    def _stopping_message(self, what: str) -> str:
        where = "AWS" if self.target == "aws" else "the local cloud"
        return (f"\nsecond interrupt: Terraform is finishing the {where} calls already under way and saving "
                f"the state; waiting for it to stop. Progress: {self.log}")

    def _interrupted_message(self, what: str) -> str:
        again = "invoke deploy" if what == "apply" else f"invoke {what}"
        if self.target == "aws":
            again += " --target aws"
        return (f"interrupted: terraform {what} stopped cleanly and the state records everything it created. "
                f"Run `{again}` to finish.")

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
        return {"target": self.target, **{k: v for k, v in variables.items() if v is not None}}

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
        self._last_code = code
        if code:
            tail = "\n".join((err or out).strip().splitlines()[-25:])
            raise TerraformError(f"terraform destroy failed (exit {code}); full log: {self.log}\n{tail}")

    def outputs(self) -> dict:
        """The root outputs as plain values, read from the state (empty if nothing is deployed)."""
        try:
            state = json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return {}
        return {name: entry.get("value") for name, entry in state.get("outputs", {}).items()}

    def resources(self) -> list[dict]:
        """Every managed resource instance in the state: ``{"type", "address", "attributes"}``."""
        try:
            state = json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return []
        found = []
        for resource in state.get("resources", []):
            if resource.get("mode") != "managed":
                continue
            address = ".".join(filter(None, (resource.get("module"), resource["type"], resource["name"])))
            for instance in resource.get("instances", []):
                found.append({"type": resource["type"], "address": address,
                              "attributes": instance.get("attributes", {})})
        return found


_LOG_LOCK = threading.Lock()


class _Collector(threading.Thread):
    """Reads one of Terraform's output streams to the end, into the log and into ``text``."""

    def __init__(self, stream, log):
        super().__init__(daemon=True)
        self.stream, self.log, self.lines = stream, log, []
        self.start()

    def run(self) -> None:
        for line in self.stream:
            self.lines.append(line)
            with _LOG_LOCK:  # stdout and stderr share the log: whole lines only
                self.log.write(line)
                self.log.flush()

    @property
    def text(self) -> str:
        return "".join(self.lines)
