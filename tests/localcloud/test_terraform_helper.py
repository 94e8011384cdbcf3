"""The Terraform helper: CLI config with the provider mirror when present."""
from __future__ import annotations

from pathlib import Path

from localcloud import terraform


def test_mirror_providers_come_from_the_mirror_and_others_from_the_registry(tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    (mirror / "registry.terraform.io" / "hashicorp" / "aws" / "5.100.0").mkdir(parents=True)
    monkeypatch.setenv("TF_PROVIDER_MIRROR", str(mirror))
    monkeypatch.setenv("LOCALCLOUD_STATE_DIR", str(tmp_path / "state"))
    env = terraform.terraform_env({"PATH": "/usr/bin"})
    config = Path(env["TF_CLI_CONFIG_FILE"]).read_text()
    assert env["TF_IN_AUTOMATION"] == "1" and env["PATH"] == "/usr/bin"
    assert f'path    = "{mirror}"' in config
    assert 'include = ["registry.terraform.io/hashicorp/aws"]' in config
    assert 'exclude = ["registry.terraform.io/hashicorp/aws"]' in config
    assert (tmp_path / "state" / "terraform-plugin-cache").is_dir()


def test_without_a_mirror_the_registry_is_used(tmp_path, monkeypatch):
    monkeypatch.setenv("TF_PROVIDER_MIRROR", str(tmp_path / "absent"))
    monkeypatch.setattr(terraform, "DEFAULT_MIRROR", tmp_path / "also-absent")
    monkeypatch.setenv("LOCALCLOUD_STATE_DIR", str(tmp_path / "state"))
    config = Path(terraform.terraform_env({})["TF_CLI_CONFIG_FILE"]).read_text()
    assert "provider_installation" not in config

