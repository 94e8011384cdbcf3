# Optional: a WAF web ACL on the stage that blocks a client IP sending more than
# waf_rate_limit requests in 5 minutes (0 = no web ACL; the stage throttling still applies).

resource "aws_wafv2_web_acl" "this" {
  #checkov:skip=CKV2_AWS_31:WAF logging needs a Firehose or a log group named aws-waf-logs-*; the stage's access logs already record every blocked request (wafError).
  #checkov:skip=CKV_AWS_192:No Java runs behind this API (Lambda Python); the Log4j managed rule set would only add cost.
  count = var.waf_rate_limit > 0 ? 1 : 0
  name  = "${var.name}-api"
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "rate-per-ip"
    priority = 1

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit              = var.waf_rate_limit
        aggregate_key_type = "IP"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-rate-per-ip"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-api"
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "this" {
  count        = var.waf_rate_limit > 0 ? 1 : 0
  resource_arn = aws_api_gateway_stage.this.arn
  web_acl_arn  = aws_wafv2_web_acl.this[0].arn
}
