"""checkov on terraform/: no unwaived finding, every waiver gives its reason, the fixes themselves pass."""
import pytest
from tf_offline import ROOT  # noqa: F401 - puts the repository root on sys.path

from devtasks import security

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def findings():
    return security.scan()


def test_checkov_finds_nothing_unwaived(findings):
    failed = [f"{c['check_id']} {c['resource']}: {c['check_name']}" for c in findings["failed"]]
    assert failed == []


def test_every_waiver_says_why(findings):
    assert findings["skipped"], "checkov saw no inline waiver: was terraform/ scanned?"
    unexplained = [f"{c['check_id']} {c['resource']}" for c in findings["skipped"]
                   if len((c.get("check_result", {}).get("suppress_comment") or "").split()) < 5]
    assert unexplained == []


@pytest.mark.parametrize("check_id, resource", [
    ("CKV_AWS_28", "module.storage.aws_dynamodb_table.events"),           # point-in-time recovery
    ("CKV_AWS_115", "module.step.aws_lambda_function.this"),              # reserved concurrency
    ("CKV_AWS_76", "module.api.aws_api_gateway_stage.this"),              # access logs
    ("CKV2_AWS_32", "module.website.aws_cloudfront_distribution.this"),   # response headers policy
    ("CKV2_AWS_61", "module.storage.aws_s3_bucket.models"),              # lifecycle for old versions
])
def test_the_fixes_pass_rather_than_being_waived(findings, check_id, resource):
    passed = {(c["check_id"], c["resource"].replace('["recommend"]', "").replace('["validate"]', ""))
              for c in findings["passed"]}
    assert (check_id, resource) in passed
