# The site bucket. With `cdn` it stays private and CloudFront serves it over HTTPS through
# an origin access control, with the API on the same origin (cdn.tf); without, it is an
# S3 website (what the local cloud serves, on the API's origin).

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18:The site is public static files; CloudFront's request metrics and the API's access logs cover what matters.
  #checkov:skip=CKV_AWS_21:Holds only the built site, which `invoke publish` rewrites from frontend/ on every deploy; versions would only cost.
  #checkov:skip=CKV_AWS_144:Rebuilt from frontend/ on every deploy; a replica in a second region would cost more than publishing again.
  #checkov:skip=CKV_AWS_145:Public web pages: SSE-S3 (AES256) at rest, no secret worth a customer managed KMS key.
  #checkov:skip=CKV2_AWS_61:No versions accumulate (versioning is off) and every object is rewritten by each publish.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to uploads; `invoke publish` invalidates CloudFront itself.
  #checkov:skip=CKV2_AWS_6:The bucket has a public access block (below): fully on with cdn, open to a read policy only for the local cloud's S3 website.
  bucket_prefix = "${var.name}-site-"
  # Holds only the built site, which `invoke publish` recreates, so destroy may empty it.
  force_destroy = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  #checkov:skip=CKV_AWS_54:Public policies are blocked with cdn; only the local cloud's S3 website (no cdn) needs its public-read policy.
  #checkov:skip=CKV_AWS_56:Public buckets are restricted with cdn; only the local cloud's S3 website (no cdn) is read anonymously.
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = var.cdn
  ignore_public_acls      = true
  restrict_public_buckets = var.cdn
}

resource "aws_s3_bucket_website_configuration" "this" {
  count  = var.cdn ? 0 : 1
  bucket = aws_s3_bucket.this.id

  index_document {
    suffix = "index.html"
  }
}

data "aws_iam_policy_document" "this" {
  dynamic "statement" {
    for_each = var.cdn ? [1] : []
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
    # An S3 website endpoint speaks only HTTP, so the TLS-only rule holds where CloudFront serves the site.
    for_each = var.cdn && var.require_tls ? [1] : []
    content {
      sid       = "DenyWithoutTls"
      effect    = "Deny"
      actions   = ["s3:*"]
      resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
      principals {
        type        = "*"
        identifiers = ["*"]
      }
      condition {
        test     = "Bool"
        variable = "aws:SecureTransport"
        values   = ["false"]
      }
    }
  }

  dynamic "statement" {
    for_each = var.cdn ? [] : [1]
    content {
      sid       = "WebsiteReadsSite"
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
