variable "name" {
  description = "Prefix of every AWS-side name."
  type        = string
}

variable "target" {
  description = "local: an S3 website bucket served by the local cloud; aws: a private bucket behind CloudFront (HTTPS, origin access control)."
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
