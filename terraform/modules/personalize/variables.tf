variable "name" {
  description = "Prefix of every AWS-side name (the data bucket, the service role, the function's policy)."
  type        = string
}

variable "require_tls" {
  description = "Deny requests to the data bucket without TLS (AWS; the local cloud speaks plain HTTP)."
  type        = bool
  default     = true
}

variable "function_role" {
  description = "Name of the recommend function's IAM role, which gets the Personalize runtime permissions."
  type        = string
}

variable "campaign_arn" {
  description = "ARN of the campaign the recommend function asks; empty until `invoke deploy` has created it."
  type        = string
  default     = ""
}

variable "filter_arn" {
  description = "ARN of the filter that excludes the visitor's chosen products (and keeps a category)."
  type        = string
  default     = ""
}

variable "users_dataset_arn" {
  description = "ARN of the Users dataset PutUsers writes the visitor's details into."
  type        = string
  default     = ""
}
