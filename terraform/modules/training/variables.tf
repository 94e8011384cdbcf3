variable "name" {
  description = "Prefix of every AWS-side name."
  type        = string
}

variable "data_buckets" {
  description = "Buckets holding Personalize tables the job may read (`invoke train --data s3://BUCKET/...`); tables from a local folder are uploaded to the work bucket instead."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for b in var.data_buckets : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", b))])
    error_message = "Set data_buckets to S3 bucket names (no s3:// and no path), e.g. [\"my-personalize-data\"]."
  }
}

variable "release_label" {
  description = "EMR release of the Spark application (the job needs Spark 3.5+ and Python 3.9+)."
  type        = string
  default     = "emr-7.5.0"

  validation {
    condition     = can(regex("^emr-[0-9]+\\.[0-9]+\\.[0-9]+$", var.release_label))
    error_message = "Set release_label to an EMR release such as emr-7.5.0."
  }
}

variable "max_vcpu" {
  description = "Most vCPUs the application may hold at once (memory 4 GB and disk 20 GB per vCPU); caps the cost of a run."
  type        = number
  default     = 64

  validation {
    condition     = var.max_vcpu >= 4 && var.max_vcpu <= 4000 && floor(var.max_vcpu) == var.max_vcpu
    error_message = "Set max_vcpu to a whole number between 4 and 4000."
  }
}

variable "keep_runs_days" {
  description = "Days a run's folder (inputs, statistics, logs) stays in the work bucket."
  type        = number
  default     = 14

  validation {
    condition     = var.keep_runs_days >= 1 && floor(var.keep_runs_days) == var.keep_runs_days
    error_message = "Set keep_runs_days to a whole number of days, at least 1."
  }
}

variable "force_destroy" {
  description = "Whether destroy may delete a work bucket that still holds runs."
  type        = bool
  default     = false
}
