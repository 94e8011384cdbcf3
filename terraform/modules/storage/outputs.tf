output "results_table" {
  description = "Name and ARN of the results table."
  value       = { name = aws_dynamodb_table.results.name, arn = aws_dynamodb_table.results.arn }
}

output "events_table" {
  description = "Name and ARN of the events table."
  value       = { name = aws_dynamodb_table.events.name, arn = aws_dynamodb_table.events.arn }
}

output "models_bucket" {
  description = "Name and ARN of the private, versioned models bucket."
  value       = { name = aws_s3_bucket.models.id, arn = aws_s3_bucket.models.arn }
}

output "model" {
  description = "The uploaded model: its content-addressed prefix, the root every model lives under, and its files' keys. Known only once every object is uploaded."
  value = {
    prefix = local.model_prefix
    root   = var.model_root
    keys   = [for object in aws_s3_object.model : object.key]
  }
}

output "package" {
  description = "The uploaded deployment package every function runs: bucket, key and base64 SHA-256."
  value       = { bucket = aws_s3_object.package.bucket, key = aws_s3_object.package.key, hash = var.package.hash }
}
