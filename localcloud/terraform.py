"""Terraform against the local cloud: the CLI environment (provider mirror, plugin cache)."""
from __future__ import annotations

import os
from pathlib import Path

from localcloud import settings

DEFAULT_MIRROR = Path("/opt/tf-plugins")


def provider_mirror() -> Path | None:
    """The filesystem mirror of providers: ``TF_PROVIDER_MIRROR`` or /opt/tf-plugins, if it exists."""
    for candidate in (os.environ.get("TF_PROVIDER_MIRROR"), str(DEFAULT_MIRROR)):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


def mirrored_providers(mirror: Path) -> list[str]:
    """Provider addresses (``registry.terraform.io/hashicorp/aws``) the mirror holds."""
    return sorted("/".join(p.relative_to(mirror).parts) for p in mirror.glob("*/*/*") if p.is_dir())


def cli_config_text(mirror: Path | None) -> str:
    """A Terraform CLI config: providers the mirror holds come from it, any other from the registry."""
    cache = settings.state_dir() / "terraform-plugin-cache"
    lines = [f'plugin_cache_dir = "{cache}"', "disable_checkpoint = true"]
    held = mirrored_providers(mirror) if mirror is not None else []
    if held:
        listed = ", ".join(f'"{p}"' for p in held)
        lines += ["provider_installation {", "  filesystem_mirror {", f'    path    = "{mirror}"',
                  f"    include = [{listed}]", "  }", "  direct {", f"    exclude = [{listed}]", "  }", "}"]
    return "\n".join(lines) + "\n"


def terraform_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for running ``terraform`` here (offline ``init`` when the mirror exists).

    Writes ``build/localcloud/terraformrc`` and points ``TF_CLI_CONFIG_FILE`` at it; sets
    ``TF_IN_AUTOMATION`` and a shared plugin cache. Dummy AWS credentials are added
    only when none are set, so a real-AWS run keeps its own.
    """
    env = dict(os.environ if base is None else base)
    state = settings.state_dir()
    (state / "terraform-plugin-cache").mkdir(parents=True, exist_ok=True)
    rc = state / "terraformrc"
    text = cli_config_text(provider_mirror())
    if not rc.exists() or rc.read_text() != text:
        rc.write_text(text)
    env["TF_CLI_CONFIG_FILE"] = str(rc)
    env["TF_IN_AUTOMATION"] = "1"
    env.setdefault("CHECKPOINT_DISABLE", "1")
    return env

