variable "name" {
  description = "Prefix of every AWS-side name."
  type        = string
}

variable "lambda_zip" {
  description = "Path of the deployment package shared by every function."
  type        = string
}

variable "results_table" {
  description = "Results table (name, arn)."
  type        = object({ name = string, arn = string })
}

variable "events_table" {
  description = "Events table (name, arn)."
  type        = object({ name = string, arn = string })
}

variable "models_bucket" {
  description = "Models bucket (name, arn)."
  type        = object({ name = string, arn = string })
}

variable "model_prefix" {
  description = "Key prefix of the model artifact in the models bucket."
  type        = string
}

variable "model_version" {
  description = "Fingerprint of the model artifact (an env change makes warm functions reload it)."
  type        = string
}

variable "state_machine_arn" {
  description = "ARN of the recommendation workflow the api function starts synchronously."
  type        = string
}

variable "cors_origin" {
  description = "Origin the api function names in Access-Control-Allow-Origin."
  type        = string
}

variable "result_ttl_days" {
  description = "Days a stored result stays retrievable."
  type        = number
}

variable "recommender_backend" {
  description = "builtin, personalize or both."
  type        = string
}

variable "personalize" {
  description = "Amazon Personalize settings (used when recommender_backend = personalize)."
  type = object({
    campaign_arn      = string
    tracking_id       = string
    users_dataset_arn = string
    filter_arn        = string
  })
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps each function's logs."
  type        = number
  default     = 14
}
