# The api function (every HTTP route) and the workflow's step functions
# (validate, recommend): one deployment package, one role each.

data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  functions = {
    api       = { handler = "lambdas.handlers.api.handler", timeout = 30, memory = 1024 }
    validate  = { handler = "lambdas.handlers.validate.handler", timeout = 15, memory = 1024 }
    recommend = { handler = "lambdas.handlers.recommend.handler", timeout = 15, memory = 1024 }
  }
  steps = { for key, fn in local.functions : key => fn if key != "api" }

  environment = {
    RESULTS_TABLE                 = var.results_table.name
    EVENTS_TABLE                  = var.events_table.name
    MODELS_BUCKET                 = var.models_bucket.name
    MODEL_PREFIX                  = var.model_prefix
    MODEL_VERSION                 = var.model_version
    CORS_ORIGIN                   = var.cors_origin
    RESULT_TTL_DAYS               = tostring(var.result_ttl_days)
    RECOMMENDER_BACKEND           = var.recommender_backend
    PERSONALIZE_CAMPAIGN_ARN      = var.personalize.campaign_arn
    PERSONALIZE_TRACKING_ID       = var.personalize.tracking_id
    PERSONALIZE_USERS_DATASET_ARN = var.personalize.users_dataset_arn
    PERSONALIZE_FILTER_ARN        = var.personalize.filter_arn
  }
  package_hash = filebase64sha256(var.lambda_zip)
}

resource "aws_cloudwatch_log_group" "this" {
  for_each          = local.functions
  name              = "/aws/lambda/${var.name}-${each.key}"
  retention_in_days = var.log_retention_days
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each           = local.functions
  name               = "${var.name}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_lambda_function" "api" {
  function_name    = "${var.name}-api"
  role             = aws_iam_role.this["api"].arn
  filename         = var.lambda_zip
  source_code_hash = local.package_hash
  runtime          = "python3.11"
  architectures    = ["x86_64"]
  handler          = local.functions.api.handler
  timeout          = local.functions.api.timeout
  memory_size      = local.functions.api.memory

  environment {
    variables = merge(local.environment, { STATE_MACHINE_ARN = var.state_machine_arn })
  }

  depends_on = [aws_cloudwatch_log_group.this]
}

resource "aws_lambda_function" "step" {
  for_each         = local.steps
  function_name    = "${var.name}-${each.key}"
  role             = aws_iam_role.this[each.key].arn
  filename         = var.lambda_zip
  source_code_hash = local.package_hash
  runtime          = "python3.11"
  architectures    = ["x86_64"]
  handler          = each.value.handler
  timeout          = each.value.timeout
  memory_size      = each.value.memory

  environment {
    variables = local.environment
  }

  depends_on = [aws_cloudwatch_log_group.this]
}
