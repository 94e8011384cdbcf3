variable "name" {
  description = "Prefix of every AWS-side name."
  type        = string
}

variable "target" {
  description = "local or aws: decides the shape of api_url."
  type        = string

  validation {
    condition     = contains(["local", "aws"], var.target)
    error_message = "Set target to \"local\" or \"aws\"."
  }
}

variable "local_endpoint" {
  description = "Base URL of the local cloud (target = local)."
  type        = string
}

variable "api_function" {
  description = "The api function (name, invoke_arn) behind every route."
  type        = object({ name = string, invoke_arn = string })
}

variable "cors_origin" {
  description = "The one origin allowed to call the API from a browser."
  type        = string
}

variable "stage_name" {
  description = "Name of the deployed stage (the first path segment of api_url)."
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
