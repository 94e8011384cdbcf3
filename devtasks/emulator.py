"""Whether the local cloud still holds what a Terraform state names.

The local cloud keeps everything in memory: after a restart it is empty while the state
still lists the stack. Asking the emulator itself (do the state's buckets, tables,
functions... exist there?) works however the state was made: by `invoke deploy` or by
a hand-run `terraform apply`.
"""
from __future__ import annotations

from typing import Callable

# Resource type -> (service, how to look one up from its state attributes).
LOOKUPS: dict[str, tuple[str, Callable]] = {
    "aws_s3_bucket": ("s3", lambda c, a: c.head_bucket(Bucket=a["id"])),
    "aws_dynamodb_table": ("dynamodb", lambda c, a: c.describe_table(TableName=a["name"])),
    "aws_lambda_function": ("lambda", lambda c, a: c.get_function(FunctionName=a["function_name"])),
    "aws_sfn_state_machine": ("stepfunctions", lambda c, a: c.describe_state_machine(stateMachineArn=a["arn"])),
    "aws_api_gateway_rest_api": ("apigateway", lambda c, a: c.get_rest_api(restApiId=a["id"])),
    "aws_iam_role": ("iam", lambda c, a: c.get_role(RoleName=a["name"])),
}


def survey(resources: list[dict], client: Callable[[str], object]) -> tuple[int, int]:
    """``(found, checked)`` over the state's resources of the kinds in LOOKUPS.

    Parameters
    ----------
    resources : list of dict
        ``Stack.resources()``: ``{"type", "address", "attributes"}`` per instance.
    client : callable
        ``service -> boto3 client`` for the local cloud.
    """
    from botocore.exceptions import ClientError

    found = checked = 0
    clients: dict[str, object] = {}
    for resource in resources:
        if resource["type"] not in LOOKUPS:
            continue
        service, lookup = LOOKUPS[resource["type"]]
        checked += 1
        try:
            lookup(clients.setdefault(service, client(service)), resource["attributes"])
            found += 1
        except ClientError:
            pass
    return found, checked


def state_is_stale(resources: list[dict], client: Callable[[str], object]) -> bool:
    """True when the state names resources and the emulator holds none of them (it restarted)."""
    found, checked = survey(resources, client)
    return checked > 0 and found == 0
