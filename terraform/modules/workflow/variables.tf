variable "name" {
  description = "Prefix of every AWS-side name."
  type        = string
}

variable "definition_file" {
  description = "Path of the ASL template (stepfunctions/recommendation.asl.json)."
  type        = string
}

variable "validate_function_arn" {
  description = "ARN of the function behind the Validate state."
  type        = string
}

variable "recommend_function_arn" {
  description = "ARN of the function behind the Recommend state."
  type        = string
}

variable "results_table" {
  description = "Results table (name, arn) written by StoreResult."
  type        = object({ name = string, arn = string })
}

variable "events_table" {
  description = "Events table (name, arn) written by RecordInteractions."
  type        = object({ name = string, arn = string })
}

variable "timeout_seconds" {
  description = "Upper bound of one execution (the definition's top-level TimeoutSeconds)."
  type        = number
}

variable "log_level" {
  description = "Execution log level sent to CloudWatch Logs: OFF, ERROR or ALL."
  type        = string
  default     = "ERROR"

  validation {
    condition     = contains(["OFF", "ERROR", "ALL"], var.log_level)
    error_message = "Set log_level to OFF, ERROR or ALL."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch Logs keeps the execution logs."
  type        = number
}

variable "tracing" {
  description = "Send X-Ray traces of each execution."
  type        = bool
  default     = false
}
