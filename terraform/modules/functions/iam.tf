# One policy per function: exact actions on exact ARNs. The recommend function's Personalize
# permissions live with the rest of Personalize in ../personalize.

locals {
  model_objects = "${var.models_bucket.arn}/${var.model_prefix}*"
}

data "aws_iam_policy_document" "api" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this["api"].arn}:*"]
  }
  statement {
    sid       = "ReadModel"
    actions   = ["s3:GetObject"]
    resources = [local.model_objects]
  }
  statement {
    sid       = "ListModel"
    actions   = ["s3:ListBucket"]
    resources = [var.models_bucket.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.model_prefix}*"]
    }
  }
  statement {
    sid       = "ReadResults"
    actions   = ["dynamodb:GetItem"]
    resources = [var.results_table.arn]
  }
  statement {
    sid       = "RecordFeedback"
    actions   = ["dynamodb:PutItem"]
    resources = [var.events_table.arn]
  }
  statement {
    sid       = "RunWorkflow"
    actions   = ["states:StartSyncExecution"]
    resources = [var.state_machine_arn]
  }
}

data "aws_iam_policy_document" "step" {
  for_each = local.steps

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this[each.key].arn}:*"]
  }
  statement {
    sid       = "ReadModel"
    actions   = ["s3:GetObject"]
    resources = [local.model_objects]
  }
  statement {
    sid       = "ListModel"
    actions   = ["s3:ListBucket"]
    resources = [var.models_bucket.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.model_prefix}*"]
    }
  }
}

resource "aws_iam_role_policy" "api" {
  name   = "${var.name}-api"
  role   = aws_iam_role.this["api"].id
  policy = data.aws_iam_policy_document.api.json
}

resource "aws_iam_role_policy" "step" {
  for_each = local.steps
  name     = "${var.name}-${each.key}"
  role     = aws_iam_role.this[each.key].id
  policy   = data.aws_iam_policy_document.step[each.key].json
}
