output "target" {
  description = "Where this state's stack runs (local or aws)."
  value       = var.target
}

output "website_url" {
  description = "URL of the site (CloudFront over HTTPS on AWS; the local cloud's website route locally)."
  value       = module.website.url
}

output "api_url" {
  description = "Base URL of the API stage; routes are appended to it (e.g. /products)."
  value       = module.api.url
}

output "site_bucket" {
  description = "Bucket `invoke deploy` syncs build/site/ into."
  value       = module.website.bucket
}

output "models_bucket" {
  description = "Private, versioned bucket holding the model artifact under model_prefix."
  value       = module.storage.models_bucket.name
}

output "model_prefix" {
  description = "Key prefix of the model artifact in the models bucket."
  value       = var.model_prefix
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
  value       = merge({ api = module.functions.api.name }, { for key, fn in module.functions.steps : key => fn.name })
}

output "api_id" {
  description = "REST API id."
  value       = module.api.id
}

output "distribution_id" {
  description = "CloudFront distribution id (empty on the local target)."
  value       = module.website.distribution_id
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
