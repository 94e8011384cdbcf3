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
