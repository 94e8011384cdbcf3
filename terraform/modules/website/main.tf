# The site bucket. On AWS it stays private and CloudFront reads it through an
# origin access control; on the local cloud it is an S3 website on the API's origin.

locals {
  is_aws = var.target == "aws"
}

resource "aws_s3_bucket" "this" {
  bucket_prefix = "${var.name}-site-"
  force_destroy = !local.is_aws
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = local.is_aws
  ignore_public_acls      = true
  restrict_public_buckets = local.is_aws
}

resource "aws_s3_bucket_website_configuration" "this" {
  count  = local.is_aws ? 0 : 1
  bucket = aws_s3_bucket.this.id

  index_document {
    suffix = "index.html"
  }
}

resource "aws_cloudfront_origin_access_control" "this" {
  count                             = local.is_aws ? 1 : 0
  name                              = "${var.name}-site"
  description                       = "CloudFront reads the private site bucket"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_distribution" "this" {
  count               = local.is_aws ? 1 : 0
  enabled             = true
  comment             = "${var.name} site"
  default_root_object = "index.html"
  price_class         = "PriceClass_100"
  http_version        = "http2and3"

  origin {
    origin_id                = "site"
    domain_name              = aws_s3_bucket.this.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.this[0].id
  }

  default_cache_behavior {
    target_origin_id       = "site"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    compress               = true
    # Managed policy "CachingOptimized"; index.html is uploaded with Cache-Control: no-cache.
    cache_policy_id = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
    minimum_protocol_version       = "TLSv1.2_2021"
  }
}

data "aws_iam_policy_document" "this" {
  dynamic "statement" {
    for_each = local.is_aws ? [1] : []
    content {
      sid       = "CloudFrontReadsSite"
      actions   = ["s3:GetObject"]
      resources = ["${aws_s3_bucket.this.arn}/*"]
      principals {
        type        = "Service"
        identifiers = ["cloudfront.amazonaws.com"]
      }
      condition {
        test     = "StringEquals"
        variable = "AWS:SourceArn"
        values   = [aws_cloudfront_distribution.this[0].arn]
      }
    }
  }

  dynamic "statement" {
    for_each = local.is_aws ? [] : [1]
    content {
      sid       = "LocalWebsiteReadsSite"
      actions   = ["s3:GetObject"]
      resources = ["${aws_s3_bucket.this.arn}/*"]
      principals {
        type        = "*"
        identifiers = ["*"]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket     = aws_s3_bucket.this.id
  policy     = data.aws_iam_policy_document.this.json
  depends_on = [aws_s3_bucket_public_access_block.this]
}
