# What each function may do besides writing its own logs (modules/function adds that):
# exact actions on exact ARNs. The recommend function's Personalize permissions live with the
# rest of Personalize in modules/personalize.

data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  model_objects = "${module.storage.models_bucket.arn}/${module.storage.model.root}*"
}

data "aws_iam_policy_document" "model" {
  statement {
    sid       = "ReadModel"
    actions   = ["s3:GetObject"]
    resources = [local.model_objects]
  }
  statement {
    sid       = "ListModel"
    actions   = ["s3:ListBucket"]
    resources = [module.storage.models_bucket.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${module.storage.model.root}*"]
    }
  }
}

data "aws_iam_policy_document" "api" {
  source_policy_documents = [data.aws_iam_policy_document.model.json]

  statement {
    sid       = "ReadResults"
    actions   = ["dynamodb:GetItem"]
    resources = [module.storage.results_table.arn]
  }
  statement {
    sid       = "RecordFeedback"
    actions   = ["dynamodb:PutItem"]
    resources = [module.storage.events_table.arn]
  }
  statement {
    sid       = "RunWorkflow"
    actions   = ["states:StartSyncExecution"]
    resources = [module.workflow.state_machine.arn]
  }
}

data "aws_iam_policy_document" "step" {
  for_each                = local.steps
  source_policy_documents = [data.aws_iam_policy_document.model.json]
}
