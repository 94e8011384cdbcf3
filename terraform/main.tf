locals {
  is_local         = var.target == "local"
  name             = var.name
  uses_personalize = var.recommender_backend != "builtin"

  # What the target offers; modules take these capabilities, never the target itself.
  cdn         = !local.is_local # CloudFront in front of the site and the API
  tracing     = !local.is_local # X-Ray exists on AWS only
  access_logs = !local.is_local # sets the account's API Gateway logging role
  require_tls = !local.is_local # the local cloud speaks plain HTTP
  # Old model versions expire on AWS (storage cost). Locally nothing expires them, and the provider
  # re-reads a new lifecycle rule for ~55 s before it counts as created: every local deploy paid that.
  expire_model_versions = !local.is_local

  # The time budget of POST /recommendations, innermost last. API Gateway gives up on
  # an integration after 29 s; the api function must answer before that, and it waits
  # for the workflow (lambdas/dal/aws.py: connect + read timeout, no retry) for less than
  # its own timeout; the workflow's execution ends before that wait does.
  timeouts = {
    api_gateway  = 29
    api_function = 28
    workflow     = 24
    step         = 10
  }

  # One zip per runtime: its numpy is built for that runtime's Python (`invoke build --runtime`).
  lambda_zip = var.lambda_zip != "" ? var.lambda_zip : "${path.root}/../build/lambda/recommender-${var.lambda_runtime}.zip"
  package = {
    path = local.lambda_zip
    hash = fileexists(local.lambda_zip) ? filebase64sha256(local.lambda_zip) : ""
  }

  # The site calls the API on its own origin (CloudFront on AWS, the local cloud locally).
  cors_origin = var.cors_origin != "" ? var.cors_origin : (local.is_local ? var.local_endpoint : "")

  environment = {
    RESULTS_TABLE                 = module.storage.results_table.name
    EVENTS_TABLE                  = module.storage.events_table.name
    MODELS_BUCKET                 = module.storage.models_bucket.name
    MODEL_PREFIX                  = module.storage.model.prefix # known once the model is uploaded
    CORS_ORIGIN                   = local.cors_origin
    RESULT_TTL_DAYS               = tostring(var.result_ttl_days)
    RECOMMENDER_BACKEND           = var.recommender_backend
    PERSONALIZE_CAMPAIGN_ARN      = var.personalize_campaign_arn
    PERSONALIZE_TRACKING_ID       = var.personalize_tracking_id
    PERSONALIZE_USERS_DATASET_ARN = var.personalize_users_dataset_arn
    PERSONALIZE_FILTER_ARN        = var.personalize_filter_arn
  }

  steps = {
    validate  = "lambdas.handlers.validate.handler"
    recommend = "lambdas.handlers.recommend.handler"
  }
}

module "storage" {
  source      = "./modules/storage"
  name        = local.name
  model_dir   = var.model_dir
  package     = local.package
  require_tls = local.require_tls

  expire_model_versions = local.expire_model_versions
}

module "step" {
  source               = "./modules/function"
  for_each             = local.steps
  name                 = local.name
  role                 = each.key
  handler              = each.value
  package              = module.storage.package
  runtime              = var.lambda_runtime
  timeout              = local.timeouts.step
  reserved_concurrency = var.reserved_concurrency
  environment          = local.environment
  policy_json          = data.aws_iam_policy_document.step[each.key].json
  tracing              = local.tracing
  log_retention_days   = var.log_retention_days
}

module "workflow" {
  source                 = "./modules/workflow"
  name                   = local.name
  definition_file        = "${path.root}/../stepfunctions/recommendation.asl.json"
  validate_function_arn  = module.step["validate"].arn
  recommend_function_arn = module.step["recommend"].arn
  results_table          = module.storage.results_table
  events_table           = module.storage.events_table
  timeout_seconds        = local.timeouts.workflow
  tracing                = local.tracing
  log_retention_days     = var.log_retention_days
}

module "api_function" {
  source               = "./modules/function"
  name                 = local.name
  role                 = "api"
  handler              = "lambdas.handlers.api.handler"
  package              = module.storage.package
  runtime              = var.lambda_runtime
  timeout              = local.timeouts.api_function
  reserved_concurrency = var.reserved_concurrency
  environment          = merge(local.environment, { STATE_MACHINE_ARN = module.workflow.state_machine.arn })
  policy_json          = data.aws_iam_policy_document.api.json
  tracing              = local.tracing
  log_retention_days   = var.log_retention_days
}

module "api" {
  source               = "./modules/api"
  name                 = local.name
  api_function         = module.api_function
  cors_origin          = local.cors_origin
  throttle_rate_limit  = var.throttle_rate_limit
  throttle_burst_limit = var.throttle_burst_limit
  access_logs          = local.access_logs
  tracing              = local.tracing
  log_retention_days   = var.log_retention_days
  waf_rate_limit       = var.waf_rate_limit
}

module "website" {
  source               = "./modules/website"
  name                 = local.name
  cdn                  = local.cdn
  api_domain           = local.cdn ? split("/", module.api.invoke_url)[2] : ""
  api_stage            = module.api.stage_name
  site_domain          = var.site_domain
  site_certificate_arn = var.site_certificate_arn
  require_tls          = local.require_tls
}

module "personalize" {
  source            = "./modules/personalize"
  count             = local.uses_personalize ? 1 : 0
  name              = local.name
  require_tls       = local.require_tls
  function_role     = module.step["recommend"].role_name
  campaign_arn      = var.personalize_campaign_arn
  filter_arn        = var.personalize_filter_arn
  users_dataset_arn = var.personalize_users_dataset_arn
}
