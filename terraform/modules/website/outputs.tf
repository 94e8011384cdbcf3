output "bucket" {
  description = "Name of the site bucket (invoke publish syncs build/site/ into it)."
  value       = aws_s3_bucket.this.id
}

output "cdn_domain" {
  description = "Host name the site is served at with cdn (the custom domain, else *.cloudfront.net); empty without."
  value       = var.cdn ? (local.custom_domain ? var.site_domain : aws_cloudfront_distribution.this[0].domain_name) : ""
}

output "distribution_id" {
  description = "CloudFront distribution id (empty without cdn)."
  value       = var.cdn ? aws_cloudfront_distribution.this[0].id : ""
}
