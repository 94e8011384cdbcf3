"""What the AWS target would create: CloudFront with OAC for site and API, private TLS-only buckets,
exact-ARN IAM with confused-deputy conditions, the timeout budget, and nothing AWS would rewrite."""
import json

import pytest
from tf_offline import ROOT, changes, resources

from lambdas.dal import aws as lambda_clients

pytestmark = pytest.mark.slow

API_GATEWAY_LIMIT_S = 29  # REST API integrations: AWS's default maximum


def by_type(plan, kind):
    return [r for r in resources(plan) if r["type"] == kind]


def policy_documents(plan):
    """Every aws_iam_policy_document as ``{"address", "values"}``: read at plan, or at apply (their
    inputs are ARNs of resources this stack creates; those show as None)."""
    found = {r["address"]: r["values"] for r in by_type(plan, "aws_iam_policy_document")}
    known = resources({"planned_values": plan.get("prior_state", {}).get("values", {"root_module": {}})})
    found.update({r["address"]: r["values"] for r in known if r["type"] == "aws_iam_policy_document"})
    for change in plan["resource_changes"]:
        if change["type"] == "aws_iam_policy_document" and change["address"] not in found:
            found[change["address"]] = change["change"]["after"]
    return [{"address": address, "values": values} for address, values in found.items()]


def one(plan, kind):
    [found] = by_type(plan, kind)
    return found["values"]


def test_cloudfront_serves_the_private_site_and_forwards_the_api_stage(aws_plan):
    distribution = one(aws_plan, "aws_cloudfront_distribution")
    oac = one(aws_plan, "aws_cloudfront_origin_access_control")
    assert oac["signing_behavior"] == "always" and oac["signing_protocol"] == "sigv4"
    assert distribution["default_cache_behavior"][0]["viewer_protocol_policy"] == "redirect-to-https"
    [api] = distribution["ordered_cache_behavior"]
    assert api["path_pattern"] == "/v1/*" and api["target_origin_id"] == "api"
    assert api["cache_policy_id"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # managed CachingDisabled
    assert "POST" in api["allowed_methods"]
    assert not by_type(aws_plan, "aws_s3_bucket_website_configuration")


def test_every_answer_carries_csp_hsts_nosniff_and_no_framing(aws_plan):
    headers = one(aws_plan, "aws_cloudfront_response_headers_policy")["security_headers_config"][0]
    csp = headers["content_security_policy"][0]["content_security_policy"]
    directives = dict(part.split(" ", 1) for part in csp.split("; "))
    assert directives["connect-src"] == "'self'" and directives["script-src"] == "'self'"  # the API is 'self'
    assert directives["frame-ancestors"] == "'none'" and directives["default-src"] == "'none'"
    shared = json.loads((ROOT / "terraform" / "modules" / "website" / "security_headers.json").read_text())
    assert csp == shared["content_security_policy"].replace(" {api_origin}", "")  # one source with the local site
    assert headers["strict_transport_security"][0]["access_control_max_age_sec"] >= 31536000
    assert headers["content_type_options"][0]["override"] is True
    assert headers["frame_options"][0]["frame_option"] == "DENY"


def test_default_certificate_plan_asks_only_what_aws_keeps(aws_plan):
    # With CloudFront's own certificate AWS always reports TLSv1: asking for more never settles.
    certificate = one(aws_plan, "aws_cloudfront_distribution")["viewer_certificate"][0]
    assert certificate["cloudfront_default_certificate"] is True
    assert certificate["minimum_protocol_version"] == "TLSv1"


def test_custom_domain_gets_tls_1_2_with_its_us_east_1_certificate(workdir):
    certificate = "arn:aws:acm:us-east-1:111122223333:certificate/0f1e2d3c-aaaa-bbbb-cccc-111122223333"
    planned = workdir.plan("target=aws", "site_domain=shop.example.org", f"site_certificate_arn={certificate}")
    assert planned.returncode == 0, planned.stdout + planned.stderr
    shown = json.loads(workdir.run("show", "-json", "plan.bin").stdout)
    distribution = one(shown, "aws_cloudfront_distribution")
    viewer = distribution["viewer_certificate"][0]
    assert viewer["minimum_protocol_version"] == "TLSv1.2_2021" and viewer["ssl_support_method"] == "sni-only"
    assert viewer["acm_certificate_arn"] == certificate and distribution["aliases"] == ["shop.example.org"]


def test_a_certificate_outside_us_east_1_is_refused_saying_why(workdir):
    planned = workdir.plan("target=aws", "site_domain=shop.example.org",
                           "site_certificate_arn=arn:aws:acm:eu-west-1:111122223333:certificate/abc")
    assert planned.returncode != 0 and "us-east-1" in " ".join(planned.stderr.split())


def test_both_buckets_are_private_and_deny_requests_without_tls(aws_plan):
    for block in by_type(aws_plan, "aws_s3_bucket_public_access_block"):
        flags = [block["values"][k] for k in ("block_public_acls", "block_public_policy", "ignore_public_acls",
                                              "restrict_public_buckets")]
        assert all(flags), block["address"]
    documents = [r for r in policy_documents(aws_plan)
                 if r["address"] in ("module.storage.data.aws_iam_policy_document.models",
                                     "module.website.data.aws_iam_policy_document.this")]
    assert len(documents) == 2
    for document in documents:
        [deny] = [s for s in document["values"]["statement"] if s["sid"] == "DenyWithoutTls"]
        assert deny["effect"] == "Deny" and deny["condition"][0]["variable"] == "aws:SecureTransport"
    assert len(by_type(aws_plan, "aws_s3_bucket_policy")) == 2


def test_models_bucket_is_versioned_and_old_versions_expire(aws_plan):
    assert one(aws_plan, "aws_s3_bucket_versioning")["versioning_configuration"][0]["status"] == "Enabled"
    [rule] = one(aws_plan, "aws_s3_bucket_lifecycle_configuration")["rule"]
    assert rule["status"] == "Enabled" and rule["noncurrent_version_expiration"][0]["noncurrent_days"] >= 1
    assert len(rule["filter"]) == 1  # an explicit filter {}: the whole bucket (AWS would add one)


def test_the_model_is_uploaded_under_a_content_addressed_prefix_kept_until_replaced(aws_plan):
    objects = [o for o in by_type(aws_plan, "aws_s3_object")
               if o["address"].startswith("module.storage.aws_s3_object.model[")]
    assert sorted(o["values"]["key"].rsplit("/", 1)[1] for o in objects) == ["manifest.json", "model.npz"]
    [prefix] = {o["values"]["key"].rsplit("/", 1)[0] + "/" for o in objects}
    assert prefix.startswith("models/") and len(prefix) == len("models/") + 17
    assert aws_plan["planned_values"]["outputs"]["model_prefix"]["value"] == prefix
    [model] = [r for r in aws_plan["configuration"]["root_module"]["module_calls"]["storage"]["module"]["resources"]
               if r["address"] == "aws_s3_object.model"]
    assert model["expressions"]["key"]["references"][0] == "local.model_prefix"


def test_the_package_is_uploaded_once_under_a_content_addressed_key_and_every_function_runs_it(aws_plan):
    [package] = [o for o in by_type(aws_plan, "aws_s3_object") if o["address"] == "module.storage.aws_s3_object.package"]
    key = package["values"]["key"]
    assert key.startswith("packages/") and key.endswith(".zip") and len(key) == len("packages/") + 16 + len(".zip")
    functions = by_type(aws_plan, "aws_lambda_function")
    assert len(functions) == 3 and {f["values"]["s3_key"] for f in functions} == {key}
    assert not any(f["values"].get("filename") for f in functions)  # no function uploads the zip itself
    calls = aws_plan["configuration"]["root_module"]["module_calls"]
    assert all("module.storage.package" in calls[name]["expressions"]["package"]["references"]
               for name in ("step", "api_function"))


def test_each_function_has_its_own_role_trusted_only_from_this_account(aws_plan):
    functions = by_type(aws_plan, "aws_lambda_function")
    assert len(functions) == 3
    assert len({f["values"]["function_name"] for f in functions}) == 3
    trusts = [r for r in policy_documents(aws_plan) if r["address"].endswith(".assume")
              or r["address"].endswith("logging_assume")]
    assert len(trusts) >= 5  # three functions, the workflow, API Gateway's logging role
    for trust in trusts:
        [statement] = trust["values"]["statement"]
        assert statement["condition"][0]["variable"] == "aws:SourceAccount", trust["address"]


def test_functions_are_traced_capped_and_on_one_runtime(aws_plan):
    for function in by_type(aws_plan, "aws_lambda_function"):
        values = function["values"]
        assert values["tracing_config"][0]["mode"] == "Active"
        assert values["reserved_concurrent_executions"] >= 1
        assert values["runtime"] == "python3.11"
    assert one(aws_plan, "aws_sfn_state_machine")["tracing_configuration"][0]["enabled"] is True
    assert one(aws_plan, "aws_api_gateway_stage")["xray_tracing_enabled"] is True


def test_api_access_logs_are_json_lines(aws_plan):
    [settings] = one(aws_plan, "aws_api_gateway_stage")["access_log_settings"]
    fields = json.loads(settings["format"])
    assert {"requestId", "status", "ip", "path"} <= set(fields)
    assert by_type(aws_plan, "aws_api_gateway_account")  # the account's logging role


def test_events_table_has_point_in_time_recovery(aws_plan):
    tables = {t["values"]["name"]: t["values"] for t in by_type(aws_plan, "aws_dynamodb_table")}
    assert tables["recommender-events"]["point_in_time_recovery"][0]["enabled"] is True


def test_timeouts_fit_inside_api_gateways_limit(aws_plan, workdir):
    functions = {f["values"]["function_name"]: f["values"] for f in by_type(aws_plan, "aws_lambda_function")}
    api_timeout = functions["recommender-api"]["timeout"]
    budget = json.loads(workdir.console("jsonencode(local.timeouts)"))
    client_wait = lambda_clients.WORKFLOW_CONNECT_TIMEOUT_S + lambda_clients.WORKFLOW_READ_TIMEOUT_S
    # The workflow ends before the api function stops waiting, which is before the function's
    # own timeout, which is before API Gateway gives up.
    assert budget["workflow"] < lambda_clients.WORKFLOW_READ_TIMEOUT_S
    assert client_wait < api_timeout == budget["api_function"] < API_GATEWAY_LIMIT_S == budget["api_gateway"]
    definition = json.loads((ROOT / "stepfunctions" / "recommendation.asl.json").read_text())
    tasks = [state for state in definition["States"].values() if "validate" in state.get("Resource", "")
             or "recommend" in state.get("Resource", "")]
    assert len(tasks) == 2
    for step in ("recommender-validate", "recommender-recommend"):
        # a step function never outlives the task waiting for it
        assert all(functions[step]["timeout"] <= task["TimeoutSeconds"] for task in tasks)


def test_stage_is_throttled_and_the_workflow_is_express(aws_plan):
    [settings] = one(aws_plan, "aws_api_gateway_method_settings")["settings"]
    assert settings["throttling_rate_limit"] > 0 and settings["logging_level"] == "ERROR"
    assert one(aws_plan, "aws_sfn_state_machine")["type"] == "EXPRESS"


def test_the_region_reaches_the_provider_and_is_an_output(workdir):
    planned = workdir.plan("target=aws", "region=eu-west-1")
    assert planned.returncode == 0, planned.stdout + planned.stderr
    shown = json.loads(workdir.run("show", "-json", "plan.bin").stdout)
    assert shown["planned_values"]["outputs"]["region"]["value"] == "eu-west-1"
    provider = shown["configuration"]["provider_config"]["aws"]["expressions"]["region"]
    assert provider["references"] == ["var.region"]
    assert (ROOT / "terraform" / "providers.tf").exists()


def test_an_optional_waf_rate_rule_guards_the_stage(workdir):
    planned = workdir.plan("target=aws", "waf_rate_limit=500")
    assert planned.returncode == 0, planned.stdout + planned.stderr
    shown = json.loads(workdir.run("show", "-json", "plan.bin").stdout)
    [rule] = one(shown, "aws_wafv2_web_acl")["rule"]
    assert rule["statement"][0]["rate_based_statement"][0]["limit"] == 500
    assert by_type(shown, "aws_wafv2_web_acl_association")
    assert changes(shown)
