variable "name" {
  description = "Prefix of every AWS-side name."
  type        = string
}

variable "force_destroy" {
  description = "Let `terraform destroy` remove the models bucket with its objects (true on the local target)."
  type        = bool
  default     = false
}
