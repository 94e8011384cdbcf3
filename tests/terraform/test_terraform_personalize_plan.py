"""What `recommender_backend = both` adds on AWS: the data bucket Personalize reads, its role, the function's calls."""
import json

import pytest
from tf_offline import resources

pytestmark = pytest.mark.slow

ACCOUNT = "111122223333"
ARNS = {"personalize_campaign_arn": f"arn:aws:personalize:us-east-1:{ACCOUNT}:campaign/recommender",
        "personalize_tracking_id": "0f1e2d3c-aaaa-bbbb-cccc-111122223333",
        "personalize_users_dataset_arn": f"arn:aws:personalize:us-east-1:{ACCOUNT}:dataset/recommender/USERS",
        "personalize_filter_arn": f"arn:aws:personalize:us-east-1:{ACCOUNT}:filter/recommender-exclude-chosen"}


@pytest.fixture(scope="module")
def plan(workdir):
    planned = workdir.plan("target=aws", "recommender_backend=both", *(f"{k}={v}" for k, v in ARNS.items()))
    assert planned.returncode == 0, planned.stdout + planned.stderr
    shown = workdir.run("show", "-json", "plan.bin")
    return json.loads(shown.stdout)


def _documents(plan) -> dict[str, dict]:
    return {r["address"]: r["values"] for r in resources(plan) if r["type"] == "aws_iam_policy_document"
            and r["address"].startswith("module.personalize")}


def test_only_personalize_may_read_the_data_bucket_which_stays_private(plan):
    bucket = _documents(plan)["module.personalize[0].data.aws_iam_policy_document.bucket"]
    by_sid = {s["sid"]: s for s in bucket["statement"]}
    assert sorted(by_sid) == ["DenyWithoutTLS", "PersonalizeReadsImports"]
    statement = by_sid["PersonalizeReadsImports"]
    assert statement["principals"] == [{"identifiers": ["personalize.amazonaws.com"], "type": "Service"}]
    assert sorted(statement["actions"]) == ["s3:GetObject", "s3:ListBucket"]
    assert statement["condition"][0]["variable"] == "aws:SourceAccount"
    deny = by_sid["DenyWithoutTLS"]
    assert deny["effect"] == "Deny" and deny["condition"][0]["variable"] == "aws:SecureTransport"
    blocks = [r for r in resources(plan) if r["type"] == "aws_s3_bucket_public_access_block"
              and r["address"].startswith("module.personalize")]
    assert blocks and all(blocks[0]["values"][k] for k in ("block_public_acls", "restrict_public_buckets"))


def test_the_service_role_is_for_personalize_and_reads_only_the_data_bucket(plan):
    [role] = [r for r in resources(plan) if r["address"] == "module.personalize[0].aws_iam_role.service"]
    [assume] = json.loads(role["values"]["assume_role_policy"])["Statement"]
    assert assume["Principal"] == {"Service": "personalize.amazonaws.com"} and assume["Action"] == "sts:AssumeRole"
    [read] = _documents(plan)["module.personalize[0].data.aws_iam_policy_document.service"]["statement"]
    assert sorted(read["actions"]) == ["s3:GetObject", "s3:ListBucket"]


def test_the_recommend_function_may_call_exactly_the_campaign_filter_and_users_dataset(plan):
    function = _documents(plan)["module.personalize[0].data.aws_iam_policy_document.function[0]"]
    by_sid = {s["sid"]: s for s in function["statement"]}
    assert by_sid["PersonalizeRecommend"]["resources"] == sorted(
        [ARNS["personalize_campaign_arn"], ARNS["personalize_filter_arn"]])
    assert by_sid["PersonalizeRecordUsers"]["resources"] == [ARNS["personalize_users_dataset_arn"]]
    assert by_sid["PersonalizeRecordEvents"]["actions"] == ["personalize:PutEvents"]
    [policy] = [r for r in resources(plan) if r["address"] == "module.personalize[0].aws_iam_role_policy.function[0]"]
    assert policy["values"]["role"] == "recommender-recommend"

