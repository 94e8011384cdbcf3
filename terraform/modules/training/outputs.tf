output "application_id" {
  description = "EMR Serverless application that runs the statistics job."
  value       = aws_emrserverless_application.this.id
}

output "job_role_arn" {
  description = "Role the job runs as (reads the data buckets, writes runs/ in the work bucket)."
  value       = aws_iam_role.job.arn
}

output "bucket" {
  description = "Work bucket: runs/<id>/ holds a run's job, inputs, statistics and logs."
  value       = aws_s3_bucket.this.bucket
}
