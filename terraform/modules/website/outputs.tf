output "bucket" {
  description = "Name of the site bucket (invoke deploy syncs build/site/ into it)."
  value       = aws_s3_bucket.this.id
}

output "url" {
  description = "URL a browser opens: CloudFront over HTTPS on AWS, the local cloud's website route locally."
  value       = local.is_aws ? "https://${aws_cloudfront_distribution.this[0].domain_name}/" : "${var.local_endpoint}/_website/${aws_s3_bucket.this.id}/"
}

output "origin" {
  description = "Origin of the site, the only one the API allows in CORS by default."
  value       = local.is_aws ? "https://${aws_cloudfront_distribution.this[0].domain_name}" : var.local_endpoint
}

output "distribution_id" {
  description = "CloudFront distribution id (empty on the local target)."
  value       = local.is_aws ? aws_cloudfront_distribution.this[0].id : ""
}
