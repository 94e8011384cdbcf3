variable "name" {
  description = "Prefix of every AWS-side name."
  type        = string
}

variable "model_dir" {
  description = "Folder holding the trained model artifact (manifest.json + model.npz)."
  type        = string
}

variable "package" {
  description = "The functions' deployment package: path of the zip and its base64 SHA-256."
  type        = object({ path = string, hash = string })
}

variable "model_root" {
  description = "Key prefix under which each model gets its own content-addressed folder."
  type        = string
  default     = "models/"
}

variable "expire_model_versions" {
  description = "Give the models bucket a lifecycle rule that expires old object versions after model_version_retention_days."
  type        = bool
  default     = true
}

variable "model_version_retention_days" {
  description = "Days an overwritten or deleted model object version is kept before S3 expires it."
  type        = number
  default     = 30
}

variable "point_in_time_recovery" {
  description = "Keep continuous backups (35 days) of the events table."
  type        = bool
  default     = true
}

variable "require_tls" {
  description = "Deny every request to the models bucket that does not use TLS (false only where the endpoint speaks plain HTTP)."
  type        = bool
  default     = true
}
