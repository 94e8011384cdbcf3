"""The deployed roles: exact actions on exact ARNs (read back from the local cloud's IAM)."""
import json
from urllib.parse import unquote

import pytest

pytestmark = [pytest.mark.stack, pytest.mark.slow]

# The only statements allowed a "*" resource, and why.
WILDCARD_ALLOWED = {
    "DeliverExecutionLogs": "CloudWatch Logs delivery for Step Functions has no resource-level permissions",
    "SendTraces": "X-Ray's PutTraceSegments has no resource-level permissions",
}


def inline_policies(iam, role):
    for name in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        document = iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
        yield json.loads(unquote(document)) if isinstance(document, str) else document


def test_every_statement_names_exact_actions_on_exact_arns(deployed_stack):
    iam = deployed_stack.client("iam")
    roles = [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("recommender-")]
    assert len(roles) >= 4  # api, validate, recommend, workflow
    seen = set()
    for role in roles:
        for document in inline_policies(iam, role):
            for statement in document["Statement"]:
                seen.add(statement["Sid"])
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                targets = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                assert all("*" not in action for action in actions), (role, statement)
                if statement["Sid"] not in WILDCARD_ALLOWED:
                    assert all(t.startswith("arn:") and t != "*" and not t.endswith(":*:*") for t in targets), (role, statement)
    assert {"RunWorkflow", "ReadResults", "RecordFeedback", "StoreResult", "InvokeSteps", "ReadModel",
            "WriteOwnLogs"} <= seen
