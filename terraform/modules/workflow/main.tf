# The EXPRESS state machine answering POST /recommendations in one round trip:
# Validate -> Recommend -> StoreResult (the result and the selection event in one transaction).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  logging = var.log_level != "OFF"
  # The ASL comes from stepfunctions/; the whole execution's bound comes from the stack's
  # timeout budget (main.tf) so it always ends before the api function stops waiting.
  definition = jsonencode(merge(jsondecode(templatefile(var.definition_file, {
    partition              = data.aws_partition.current.partition
    validate_function_arn  = var.validate_function_arn
    recommend_function_arn = var.recommend_function_arn
    results_table          = var.results_table.name
    events_table           = var.events_table.name
  })), { TimeoutSeconds = var.timeout_seconds }))
}

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_158:Execution logs carry state names and errors, not request data (include_execution_data = false); CloudWatch's own encryption at rest is enough.
  #checkov:skip=CKV_AWS_338:Retention is the log_retention_days variable (14 days by default) to keep an idle stack cheap.
  count             = local.logging ? 1 : 0
  name              = "/aws/vendedlogs/states/${var.name}-recommendation"
  retention_in_days = var.log_retention_days
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-workflow"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "InvokeSteps"
    actions   = ["lambda:InvokeFunction"]
    resources = [var.validate_function_arn, var.recommend_function_arn]
  }
  statement {
    sid       = "StoreResult"
    actions   = ["dynamodb:PutItem"]
    resources = [var.results_table.arn]
  }
  statement {
    sid       = "RecordInteractions"
    actions   = ["dynamodb:PutItem"]
    resources = [var.events_table.arn]
  }

  dynamic "statement" {
    for_each = local.logging ? [1] : []
    content {
      # CloudWatch Logs delivery for Step Functions authorizes only on "*"
      # (no resource-level permissions exist for these actions).
      sid = "DeliverExecutionLogs"
      actions = [
        "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
      ]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = var.tracing ? [1] : []
    content {
      # X-Ray accepts trace segments only on "*" (its actions have no resource-level permissions).
      sid       = "SendTraces"
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "${var.name}-workflow"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_sfn_state_machine" "this" {
  #checkov:skip=CKV_AWS_285:Executions are logged at log_level (ERROR by default) without execution data: requests carry customer details that stay out of logs.
  name       = "${var.name}-recommendation"
  type       = "EXPRESS"
  role_arn   = aws_iam_role.this.arn
  definition = local.definition

  dynamic "logging_configuration" {
    for_each = local.logging ? [1] : []
    content {
      level                  = var.log_level
      include_execution_data = false
      log_destination        = "${aws_cloudwatch_log_group.this[0].arn}:*"
    }
  }

  tracing_configuration {
    enabled = var.tracing
  }

  depends_on = [aws_iam_role_policy.this]
}
