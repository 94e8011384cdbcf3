# Optional: the statistics step of training on EMR Serverless (`invoke train --engine spark --target aws`).
# Created only when asked: `TF_VAR_training_spark=true invoke deploy --target aws`.

variable "training_spark" {
  description = "Create the EMR Serverless application, work bucket and job role that `invoke train --engine spark --target aws` uses."
  type        = bool
  default     = false
}

variable "training_data_buckets" {
  description = "Buckets holding Personalize tables the Spark job may read (names only); local folders are uploaded to the work bucket instead."
  type        = list(string)
  default     = []
}

module "training" {
  source        = "./modules/training"
  count         = var.training_spark ? 1 : 0
  name          = local.name
  data_buckets  = var.training_data_buckets
  force_destroy = local.is_local
}

output "training" {
  description = "The Spark statistics job's application id, role ARN and work bucket (null unless training_spark)."
  value       = var.training_spark ? module.training[0] : null
}
