"""terraform fmt and validate; plan-time checks of targets and settings (offline)."""
import subprocess

import pytest
from tf_offline import ROOT

pytestmark = pytest.mark.slow


def test_configuration_is_formatted():
    checked = subprocess.run(["terraform", "fmt", "-check", "-recursive", str(ROOT / "terraform")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, f"run `terraform fmt -recursive terraform`: {checked.stdout}"


def test_configuration_is_valid(workdir):
    validated = workdir.run("validate", "-no-color")
    assert validated.returncode == 0, validated.stdout + validated.stderr


def test_personalize_without_its_settings_fails_at_plan_saying_what_to_set(workdir):
    planned = workdir.plan("target=aws", "recommender_backend=personalize")
    text = " ".join((planned.stdout + planned.stderr).split())
    assert planned.returncode != 0
    for name in ("personalize_campaign_arn", "personalize_tracking_id", "personalize_users_dataset_arn"):
        assert name in text


def test_personalize_with_its_settings_plans(workdir):
    planned = workdir.plan("target=aws", "recommender_backend=personalize",
                           "personalize_campaign_arn=arn:aws:personalize:us-east-1:111122223333:campaign/bank",
                           "personalize_tracking_id=0f1e2d3c-aaaa-bbbb-cccc-111122223333",
                           "personalize_users_dataset_arn=arn:aws:personalize:us-east-1:111122223333:dataset/bank/USERS",
                           "personalize_filter_arn=arn:aws:personalize:us-east-1:111122223333:filter/bank-exclude-chosen")
    assert planned.returncode == 0, planned.stdout + planned.stderr


def test_a_target_cannot_use_the_other_targets_state(workdir):
    planned = workdir.plan("target=local", workspace="aws")
    text = " ".join((planned.stdout + planned.stderr).split())
    assert planned.returncode != 0 and "workspace select -or-create local" in text


def test_bad_variables_are_refused_with_what_to_do(workdir):
    planned = workdir.plan("target=cloud", "name=Bad_Name", "throttle_rate_limit=0")
    text = " ".join((planned.stdout + planned.stderr).split())
    assert planned.returncode != 0
    for words in ('Set target to "local" or "aws"', "Set name to 3-22 lowercase letters",
                  "Set throttle_rate_limit between 1 and 10000"):
        assert words in text
