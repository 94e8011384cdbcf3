variable "name" {
  description = "Prefix of every AWS-side name."
  type        = string
}

variable "cdn" {
  description = "Serve the site through CloudFront from a private bucket (true), or as an S3 website (false: what the local cloud serves)."
  type        = bool
}

variable "api_domain" {
  description = "Host name of the API's stage (ID.execute-api.REGION.amazonaws.com); CloudFront forwards /<api_stage>/* to it (cdn only)."
  type        = string
  default     = ""
}

variable "api_stage" {
  description = "Stage name: the first path segment CloudFront forwards to the API (cdn only)."
  type        = string
  default     = "v1"
}

variable "site_domain" {
  description = "Custom domain of the site (cdn only); empty: CloudFront's own *.cloudfront.net name."
  type        = string
  default     = ""
}

variable "site_certificate_arn" {
  description = "ACM certificate (in us-east-1) for site_domain; required with it."
  type        = string
  default     = ""
}

variable "price_class" {
  description = "CloudFront price class (edge locations used)."
  type        = string
  default     = "PriceClass_100"
}

variable "require_tls" {
  description = "Deny every request to the site bucket that does not use TLS (with cdn; false only where the endpoint speaks plain HTTP)."
  type        = bool
  default     = true
}
