# Access logs (one JSON line per request) and the account-level role API Gateway needs
# to write any log. That role is a per-region account setting: a fresh account has none,
# and a stage with logging fails to deploy until it is set.

data "aws_caller_identity" "current" {}

resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_158:Access logs hold request ids, paths and status codes, no bodies; CloudWatch's own encryption at rest is enough.
  #checkov:skip=CKV_AWS_338:Retention is the log_retention_days variable (14 days by default) to keep an idle stack cheap.
  count             = var.access_logs ? 1 : 0
  name              = "/aws/apigateway/${var.name}-api"
  retention_in_days = var.log_retention_days
}

data "aws_iam_policy_document" "logging_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "logging" {
  count              = var.access_logs ? 1 : 0
  name               = "${var.name}-apigateway-logs"
  assume_role_policy = data.aws_iam_policy_document.logging_assume.json
}

resource "aws_iam_role_policy_attachment" "logging" {
  count      = var.access_logs ? 1 : 0
  role       = aws_iam_role.logging[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

data "aws_partition" "current" {}

resource "aws_api_gateway_account" "this" {
  count               = var.access_logs ? 1 : 0
  cloudwatch_role_arn = aws_iam_role.logging[0].arn
  depends_on          = [aws_iam_role_policy_attachment.logging]
}
