"""What the AWS target would create: CloudFront with OAC, private buckets, exact-ARN IAM."""
import pytest
from tf_offline import changes, resources

pytestmark = pytest.mark.slow

# The only statements allowed a "*" resource, and why.
WILDCARD_ALLOWED = {
    "DeliverExecutionLogs": "CloudWatch Logs delivery for Step Functions has no resource-level permissions",
}


def by_type(plan, kind):
    return [r for r in resources(plan) if r["type"] == kind]


def test_site_is_served_over_https_by_cloudfront_through_an_origin_access_control(aws_plan):
    [distribution] = by_type(aws_plan, "aws_cloudfront_distribution")
    [oac] = by_type(aws_plan, "aws_cloudfront_origin_access_control")
    assert oac["values"]["origin_access_control_origin_type"] == "s3"
    assert oac["values"]["signing_behavior"] == "always" and oac["values"]["signing_protocol"] == "sigv4"
    behaviour = distribution["values"]["default_cache_behavior"][0]
    assert behaviour["viewer_protocol_policy"] == "redirect-to-https"
    assert distribution["values"]["default_root_object"] == "index.html"
    origin_unknown = changes(aws_plan)[distribution["address"]]["after_unknown"]["origin"][0]
    assert origin_unknown["origin_access_control_id"] is True  # set from the OAC created alongside
    assert not by_type(aws_plan, "aws_s3_bucket_website_configuration")


def test_both_buckets_block_every_kind_of_public_access(aws_plan):
    blocks = by_type(aws_plan, "aws_s3_bucket_public_access_block")
    assert len(blocks) == 2
    for block in blocks:
        flags = {k: block["values"][k] for k in ("block_public_acls", "block_public_policy",
                                                 "ignore_public_acls", "restrict_public_buckets")}
        assert all(flags.values()), (block["address"], flags)


def test_models_bucket_is_versioned_and_encrypted(aws_plan):
    [versioning] = by_type(aws_plan, "aws_s3_bucket_versioning")
    assert versioning["values"]["versioning_configuration"][0]["status"] == "Enabled"
    assert by_type(aws_plan, "aws_s3_bucket_server_side_encryption_configuration")


def test_site_bucket_policy_lets_only_this_distribution_read(aws_plan):
    [policy] = [r for r in by_type(aws_plan, "aws_iam_policy_document") if r["address"].startswith("module.website")]
    [statement] = policy["values"]["statement"]
    assert statement["actions"] == ["s3:GetObject"]
    assert statement["principals"] == [{"identifiers": ["cloudfront.amazonaws.com"], "type": "Service"}]
    assert statement["condition"][0]["variable"] == "AWS:SourceArn"


def test_each_function_has_its_own_role(aws_plan):
    functions = by_type(aws_plan, "aws_lambda_function")
    roles = [r for r in by_type(aws_plan, "aws_iam_role") if r["address"].startswith("module.functions")]
    assert len(functions) == 3 and len(roles) == 3
    assert len({r["values"]["name"] for r in roles}) == 3


def test_iam_statements_name_exact_actions_on_exact_arns(aws_plan):
    documents = [r for r in by_type(aws_plan, "aws_iam_policy_document") if "assume" not in r["address"]]
    assert len(documents) >= 5
    seen = set()
    for document in documents:
        for statement in document["values"]["statement"]:
            seen.add(statement["sid"])
            assert all("*" not in action for action in statement["actions"]), statement
            if statement["sid"] in WILDCARD_ALLOWED:
                continue
            # unknown at plan (null) = an ARN computed from a resource this stack creates
            assert statement["resources"] and "*" not in statement["resources"], (document["address"], statement)
            assert all(r is None or (r.startswith("arn:") and not r.endswith(":*")) for r in statement["resources"])
    assert {"RunWorkflow", "ReadResults", "RecordFeedback", "StoreResult", "InvokeSteps", "ReadModel"} <= seen


def test_stage_is_throttled_and_the_workflow_is_express(aws_plan):
    [settings] = by_type(aws_plan, "aws_api_gateway_method_settings")
    assert settings["values"]["settings"][0]["throttling_rate_limit"] > 0
    [machine] = by_type(aws_plan, "aws_sfn_state_machine")
    assert machine["values"]["type"] == "EXPRESS"
