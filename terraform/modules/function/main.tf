# One Lambda function from the shared deployment package: its own role (trusted only
# by Lambda in this account), its own log group, and the policy the caller passes.

data "aws_caller_identity" "current" {}

locals {
  function_name = "${var.name}-${var.role}"
}

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_158:Lambda logs hold request ids and timings, no customer data; CloudWatch's own encryption at rest is enough.
  #checkov:skip=CKV_AWS_338:Retention is the log_retention_days variable (14 days by default) to keep an idle stack cheap.
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_days
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = local.function_name
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "this" {
  source_policy_documents = [var.policy_json]

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  dynamic "statement" {
    for_each = var.tracing ? [1] : []
    content {
      # X-Ray accepts trace segments only on "*" (its actions have no resource-level permissions).
      sid       = "SendTraces"
      actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name   = local.function_name
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_116:Every caller is synchronous (API Gateway proxy, Step Functions task): failures return to the caller, nothing is queued to dead-letter.
  #checkov:skip=CKV_AWS_117:No VPC: the functions reach only AWS APIs (S3, DynamoDB, Step Functions) over TLS; a VPC would add NAT cost and cold-start time.
  #checkov:skip=CKV_AWS_173:The environment holds names and ARNs only (no secrets); Lambda encrypts it at rest with its service key.
  #checkov:skip=CKV_AWS_272:The package is built reproducibly by `invoke build` and uploaded by Terraform from the same machine; there is no signing profile to verify against.
  function_name                  = local.function_name
  role                           = aws_iam_role.this.arn
  s3_bucket                      = var.package.bucket
  s3_key                         = var.package.key
  source_code_hash               = var.package.hash
  runtime                        = var.runtime
  architectures                  = ["x86_64"]
  handler                        = var.handler
  timeout                        = var.timeout
  memory_size                    = var.memory
  reserved_concurrent_executions = var.reserved_concurrency

  environment {
    variables = var.environment
  }

  tracing_config {
    mode = var.tracing ? "Active" : "PassThrough"
  }

  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.this]
}
