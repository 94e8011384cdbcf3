locals {
  is_local    = var.target == "local"
  name        = var.name
  cors_origin = var.cors_origin != "" ? var.cors_origin : module.website.origin
  personalize = {
    campaign_arn      = var.personalize_campaign_arn
    tracking_id       = var.personalize_tracking_id
    users_dataset_arn = var.personalize_users_dataset_arn
    filter_arn        = var.personalize_filter_arn
  }
  uses_personalize = var.recommender_backend != "builtin"
}

# Checks that need more than one variable; they fail `terraform plan` with what to set.
resource "terraform_data" "settings" {
  input = { target = var.target, recommender_backend = var.recommender_backend }

  lifecycle {
    precondition {
      condition     = terraform.workspace == var.target
      error_message = "This workspace (${terraform.workspace}) keeps the state of another target than ${var.target}: run `terraform workspace select -or-create ${var.target}` so local and AWS states never mix."
    }
    precondition {
      condition = !local.uses_personalize || alltrue([
        var.personalize_campaign_arn != "", var.personalize_tracking_id != "", var.personalize_users_dataset_arn != "",
        var.personalize_filter_arn != "",
      ])
      error_message = "recommender_backend = \"${var.recommender_backend}\" needs personalize_campaign_arn, personalize_tracking_id, personalize_users_dataset_arn and personalize_filter_arn (`invoke deploy --backend ${var.recommender_backend}` creates them and sets all four), or use recommender_backend = \"builtin\"."
    }
  }
}

module "storage" {
  source        = "./modules/storage"
  name          = local.name
  force_destroy = local.is_local
}

module "website" {
  source         = "./modules/website"
  name           = local.name
  target         = var.target
  local_endpoint = var.local_endpoint
}

module "functions" {
  source              = "./modules/functions"
  name                = local.name
  lambda_zip          = var.lambda_zip
  results_table       = module.storage.results_table
  events_table        = module.storage.events_table
  models_bucket       = module.storage.models_bucket
  model_prefix        = var.model_prefix
  model_version       = var.model_version
  state_machine_arn   = module.workflow.state_machine.arn
  cors_origin         = local.cors_origin
  result_ttl_days     = var.result_ttl_days
  recommender_backend = var.recommender_backend
  personalize         = local.personalize
}

module "workflow" {
  source                 = "./modules/workflow"
  name                   = local.name
  definition_file        = "${path.root}/../stepfunctions/recommendation.asl.json"
  validate_function_arn  = module.functions.steps.validate.arn
  recommend_function_arn = module.functions.steps.recommend.arn
  results_table          = module.storage.results_table
  events_table           = module.storage.events_table
}

module "api" {
  source               = "./modules/api"
  name                 = local.name
  target               = var.target
  local_endpoint       = var.local_endpoint
  api_function         = module.functions.api
  cors_origin          = local.cors_origin
  throttle_rate_limit  = var.throttle_rate_limit
  throttle_burst_limit = var.throttle_burst_limit
}

module "personalize" {
  source            = "./modules/personalize"
  count             = local.uses_personalize ? 1 : 0
  name              = local.name
  force_destroy     = local.is_local
  function_role     = module.functions.role_names.recommend
  campaign_arn      = var.personalize_campaign_arn
  filter_arn        = var.personalize_filter_arn
  users_dataset_arn = var.personalize_users_dataset_arn
}
