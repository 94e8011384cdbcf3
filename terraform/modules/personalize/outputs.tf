output "data_bucket" {
  description = "Bucket the Personalize CSVs are uploaded to and imported from."
  value       = aws_s3_bucket.data.bucket
}

output "role_arn" {
  description = "Role Amazon Personalize assumes to read the data bucket (import jobs)."
  value       = aws_iam_role.service.arn
}
