variable "target" {
  description = "Where the stack runs: `local` (the local cloud at local_endpoint) or `aws` (the default credentials chain). Must match the Terraform workspace."
  type        = string
  default     = "local"

  validation {
    condition     = contains(["local", "aws"], var.target)
    error_message = "Set target to \"local\" or \"aws\"."
  }
}

variable "local_endpoint" {
  description = "Base URL of the local cloud (every AWS service the stack uses); used only when target = local."
  type        = string
  default     = "http://127.0.0.1:4566"

  validation {
    condition     = can(regex("^https?://[^/]+$", var.local_endpoint))
    error_message = "Set local_endpoint to a base URL without a path, e.g. http://127.0.0.1:4566."
  }
}

variable "region" {
  description = "AWS region of every resource."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "Set region to an AWS region name such as us-east-1."
  }
}

variable "name" {
  description = "Prefix of every AWS-side name, so two stacks can live in one account."
  type        = string
  default     = "recommender"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}[a-z0-9]$", var.name))
    error_message = "Set name to 3-22 lowercase letters, digits or dashes, starting with a letter."
  }
}

variable "lambda_zip" {
  description = "Path of the Lambda deployment package built by `invoke build` (same source, same bytes)."
  type        = string
  default     = "../build/lambda/recommender.zip"

  validation {
    condition     = endswith(var.lambda_zip, ".zip")
    error_message = "Set lambda_zip to the .zip that `invoke build` writes (build/lambda/recommender.zip)."
  }
}

variable "model_prefix" {
  description = "Key prefix of the model artifact (model.npz + manifest.json) in the models bucket."
  type        = string
  default     = "default/"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+/$", var.model_prefix))
    error_message = "Set model_prefix to a folder-like key ending in a slash, e.g. default/."
  }
}

variable "model_version" {
  description = "Fingerprint of the uploaded model artifact; a new one restarts warm functions so they load it."
  type        = string
  default     = "unversioned"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.model_version))
    error_message = "Set model_version to 1-64 letters, digits, dots, dashes or underscores (invoke deploy uses the artifact's hash)."
  }
}

variable "cors_origin" {
  description = "Origin allowed to call the API from a browser. Empty: the site's own origin."
  type        = string
  default     = ""

  validation {
    condition     = var.cors_origin == "" || can(regex("^https?://[^/]+$", var.cors_origin))
    error_message = "Set cors_origin to an origin like https://example.org (no path), or leave it empty."
  }
}

variable "throttle_rate_limit" {
  description = "Steady-state requests per second the API stage accepts."
  type        = number
  default     = 100

  validation {
    condition     = var.throttle_rate_limit > 0 && var.throttle_rate_limit <= 10000
    error_message = "Set throttle_rate_limit between 1 and 10000 requests per second."
  }
}

variable "throttle_burst_limit" {
  description = "Burst of requests the API stage accepts above the steady rate."
  type        = number
  default     = 200

  validation {
    condition     = var.throttle_burst_limit >= 1 && var.throttle_burst_limit <= 5000 && floor(var.throttle_burst_limit) == var.throttle_burst_limit
    error_message = "Set throttle_burst_limit to a whole number between 1 and 5000."
  }
}

variable "result_ttl_days" {
  description = "Days a stored recommendation stays retrievable before DynamoDB's TTL removes it."
  type        = number
  default     = 30

  validation {
    condition     = var.result_ttl_days >= 1 && var.result_ttl_days <= 365 && floor(var.result_ttl_days) == var.result_ttl_days
    error_message = "Set result_ttl_days to a whole number of days between 1 and 365."
  }
}

variable "recommender_backend" {
  description = "Who answers recommendations: `builtin` (our engine, the default), `personalize` (an Amazon Personalize campaign) or `both` (the engine's list with Personalize's beside it, to compare)."
  type        = string
  default     = "builtin"

  validation {
    condition     = contains(["builtin", "personalize", "both"], var.recommender_backend)
    error_message = "Set recommender_backend to \"builtin\", \"personalize\" or \"both\"."
  }
}

variable "personalize_campaign_arn" {
  description = "ARN of the Amazon Personalize campaign (recommender_backend = personalize)."
  type        = string
  default     = ""

  validation {
    condition     = var.personalize_campaign_arn == "" || can(regex("^arn:aws[a-z-]*:personalize:[a-z0-9-]+:[0-9]{12}:campaign/.+$", var.personalize_campaign_arn))
    error_message = "Set personalize_campaign_arn to a campaign ARN (arn:aws:personalize:REGION:ACCOUNT:campaign/NAME)."
  }
}

variable "personalize_tracking_id" {
  description = "Tracking id of the Amazon Personalize event tracker (recommender_backend = personalize)."
  type        = string
  default     = ""
}

variable "personalize_users_dataset_arn" {
  description = "ARN of the Amazon Personalize users dataset (recommender_backend = personalize)."
  type        = string
  default     = ""

  validation {
    condition     = var.personalize_users_dataset_arn == "" || can(regex("^arn:aws[a-z-]*:personalize:[a-z0-9-]+:[0-9]{12}:dataset/.+$", var.personalize_users_dataset_arn))
    error_message = "Set personalize_users_dataset_arn to a dataset ARN (arn:aws:personalize:REGION:ACCOUNT:dataset/GROUP/USERS)."
  }
}

variable "personalize_filter_arn" {
  description = "ARN of the Amazon Personalize filter that excludes the visitor's chosen products (recommender_backend = personalize or both)."
  type        = string
  default     = ""

  validation {
    condition     = var.personalize_filter_arn == "" || can(regex("^arn:aws[a-z-]*:personalize:[a-z0-9-]+:[0-9]{12}:filter/.+$", var.personalize_filter_arn))
    error_message = "Set personalize_filter_arn to a filter ARN (arn:aws:personalize:REGION:ACCOUNT:filter/NAME)."
  }
}
