variable "name" {
  description = "Prefix of every AWS-side name."
  type        = string
}

variable "role" {
  description = "What the function does (api, validate, recommend); its name is <name>-<role>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.role))
    error_message = "Set role to lowercase letters, digits or dashes, e.g. api."
  }
}

variable "package" {
  description = "The deployment package shared by every function, uploaded to S3: bucket, key and base64 SHA-256."
  type        = object({ bucket = string, key = string, hash = string })
}

variable "runtime" {
  description = "Lambda runtime identifier (e.g. python3.11)."
  type        = string
}

variable "handler" {
  description = "Module path of the entry point, e.g. lambdas.handlers.api.handler."
  type        = string
}

variable "timeout" {
  description = "Seconds an invocation may run."
  type        = number
}

variable "memory" {
  description = "Memory in MB (CPU scales with it)."
  type        = number
  default     = 1024
}

variable "reserved_concurrency" {
  description = "Concurrent executions reserved for (and capping) this function; -1 leaves it unreserved."
  type        = number
}

variable "environment" {
  description = "Environment variables (lambdas/config.py reads and checks them)."
  type        = map(string)
}

variable "policy_json" {
  description = "IAM policy document (JSON) with what the function may do besides writing its own logs."
  type        = string
}

variable "tracing" {
  description = "Send X-Ray traces (Active tracing)."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps the function's logs."
  type        = number
}
