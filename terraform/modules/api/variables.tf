variable "name" {
  description = "Prefix of every AWS-side name."
  type        = string
}

variable "api_function" {
  description = "The api function (name, invoke_arn) behind every route."
  type        = object({ name = string, invoke_arn = string })
}

variable "cors_origin" {
  description = "The one origin allowed to call the API from another origin's page (empty: none)."
  type        = string
}

variable "stage_name" {
  description = "Name of the deployed stage (the first path segment of the API's URL)."
  type        = string
  default     = "v1"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.stage_name))
    error_message = "Set stage_name to letters, digits, dashes or underscores."
  }
}

variable "throttle_rate_limit" {
  description = "Steady-state requests per second the stage accepts."
  type        = number
}

variable "throttle_burst_limit" {
  description = "Burst of requests the stage accepts above the steady rate."
  type        = number
}

variable "access_logs" {
  description = "Write one JSON access-log line per request and error-level execution logs (sets the account's API Gateway logging role)."
  type        = bool
  default     = false
}

variable "tracing" {
  description = "Send X-Ray traces of each request."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps the access logs."
  type        = number
}

variable "waf_rate_limit" {
  description = "Requests per 5 minutes one IP may send before WAF blocks it; 0 = no web ACL."
  type        = number
  default     = 0
}
