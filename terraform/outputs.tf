locals {
  # The root computes URLs: CloudFront serves site and API on one origin on AWS; the local
  # cloud serves both under its endpoint.
  site_origin = local.cdn ? "https://${module.website.cdn_domain}" : var.local_endpoint
  website_url = local.cdn ? "${local.site_origin}/" : "${var.local_endpoint}/_website/${module.website.bucket}/"
  api_url     = local.cdn ? "${local.site_origin}/${module.api.stage_name}" : "${var.local_endpoint}/restapis/${module.api.id}/${module.api.stage_name}/_user_request_"
}

output "target" {
  description = "Where this state's stack runs (local or aws)."
  value       = var.target
}

output "region" {
  description = "AWS region of every resource; `invoke publish`, `logs` and `destroy` use it for their clients."
  value       = var.region
}

output "endpoint" {
  description = "The local cloud's base URL the stack was applied to (empty on AWS)."
  value       = local.is_local ? var.local_endpoint : ""
}

output "website_url" {
  description = "URL of the site (CloudFront over HTTPS on AWS; the local cloud's website route locally)."
  value       = local.website_url
}

output "api_url" {
  description = "Base URL of the API the site calls; routes are appended to it (e.g. /products). On AWS it is on the site's own origin."
  value       = local.api_url
}

output "api_gateway_url" {
  description = "The stage's own URL at API Gateway (the same API, without CloudFront)."
  value       = local.is_local ? local.api_url : module.api.invoke_url
}

output "site_bucket" {
  description = "Bucket `invoke publish` syncs build/site/ into."
  value       = module.website.bucket
}

output "distribution_id" {
  description = "CloudFront distribution id `invoke publish` invalidates (empty on the local target)."
  value       = module.website.distribution_id
}

output "models_bucket" {
  description = "Private, versioned bucket holding the model artifact."
  value       = module.storage.models_bucket.name
}

output "model_prefix" {
  description = "Content-addressed key prefix (models/<hash>/) of the model the functions load."
  value       = module.storage.model.prefix
}

output "model_keys" {
  description = "Keys of the uploaded model's files."
  value       = module.storage.model.keys
}

output "results_table" {
  description = "DynamoDB table of stored recommendations."
  value       = module.storage.results_table.name
}

output "events_table" {
  description = "DynamoDB table of interaction events."
  value       = module.storage.events_table.name
}

output "state_machine_arn" {
  description = "ARN of the EXPRESS recommendation workflow."
  value       = module.workflow.state_machine.arn
}

output "function_names" {
  description = "Lambda function names by role (api, validate, recommend)."
  value       = merge({ api = module.api_function.name }, { for key, fn in module.step : key => fn.name })
}

output "api_id" {
  description = "REST API id."
  value       = module.api.id
}
output "personalize" {
  description = "What `invoke deploy` needs to create the Personalize resources: the data bucket, the service role, the prefix of their names (empty when recommender_backend = builtin)."
  value = local.uses_personalize ? {
    data_bucket  = module.personalize[0].data_bucket
    role_arn     = module.personalize[0].role_arn
    names_prefix = local.name
  } : null
}

output "recommender_backend" {
  description = "Who answers recommendations: builtin, personalize or both."
  value       = var.recommender_backend
}
