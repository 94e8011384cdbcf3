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
  description = "AWS region of every resource (`invoke deploy --region` passes it; the `region` output records it)."
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
  description = "Path of the Lambda deployment package; empty: the one `invoke build --runtime <lambda_runtime>` writes (build/lambda/recommender-<runtime>.zip)."
  type        = string
  default     = ""

  validation {
    condition     = var.lambda_zip == "" || endswith(var.lambda_zip, ".zip")
    error_message = "Set lambda_zip to a .zip that `invoke build` writes (build/lambda/recommender-<runtime>.zip), or leave it empty."
  }
}

variable "model_dir" {
  description = "Folder of the trained model artifact (manifest.json + model.npz) that Terraform uploads, content-addressed, before the functions point at it."
  type        = string
  default     = "../build/models/default"
}

variable "lambda_runtime" {
  description = "Lambda runtime of every function. python3.11 runs on Amazon Linux 2 (see the README's runtime note); the zip's numpy is built for the same Python (`invoke build --runtime`)."
  type        = string
  default     = "python3.11"

  validation {
    condition     = contains(["python3.11", "python3.12", "python3.13"], var.lambda_runtime)
    error_message = "Set lambda_runtime to python3.11, python3.12 or python3.13 (and build the zip for it: invoke build --runtime ...)."
  }
}

variable "reserved_concurrency" {
  description = "Concurrent executions reserved for, and capping, each function (a cost guard); -1 reserves none (needed on accounts whose concurrency quota is 10)."
  type        = number
  default     = 10

  validation {
    condition     = var.reserved_concurrency == -1 || (var.reserved_concurrency >= 1 && var.reserved_concurrency <= 1000 && floor(var.reserved_concurrency) == var.reserved_concurrency)
    error_message = "Set reserved_concurrency to a whole number between 1 and 1000, or -1 for no reservation."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps function, workflow and API access logs."
  type        = number
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "Set log_retention_days to a value CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "waf_rate_limit" {
  description = "Requests per 5 minutes one client IP may send to the API before an AWS WAF rule blocks it; 0 = no web ACL (about $6/month when on)."
  type        = number
  default     = 0

  validation {
    condition     = var.waf_rate_limit == 0 || (var.waf_rate_limit >= 10 && var.waf_rate_limit <= 2000000000)
    error_message = "Set waf_rate_limit to 0 (off) or between 10 and 2000000000 requests per 5 minutes."
  }
}

variable "site_domain" {
  description = "Custom domain of the site on AWS (e.g. shop.example.org), served with site_certificate_arn over TLS 1.2+; empty: CloudFront's *.cloudfront.net name."
  type        = string
  default     = ""

  validation {
    condition     = var.site_domain == "" || can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.site_domain))
    error_message = "Set site_domain to a host name such as shop.example.org (no scheme, no path), or leave it empty."
  }
}

variable "site_certificate_arn" {
  description = "ARN of an issued ACM certificate for site_domain, in us-east-1 (CloudFront reads certificates only there)."
  type        = string
  default     = ""

  validation {
    condition     = var.site_certificate_arn == "" || can(regex("^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate/.+$", var.site_certificate_arn))
    error_message = "Set site_certificate_arn to an ACM certificate ARN in us-east-1 (arn:aws:acm:us-east-1:ACCOUNT:certificate/ID); CloudFront uses certificates from us-east-1 only."
  }
}

variable "cors_origin" {
  description = "Another origin allowed to call the API from a browser (the site itself calls it on its own origin). Empty: none on AWS, the local cloud's origin locally."
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
