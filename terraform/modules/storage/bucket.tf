# The models bucket: private, versioned, encrypted, TLS only; old versions expire (expire_model_versions).

resource "aws_s3_bucket" "models" {
  #checkov:skip=CKV_AWS_18:Only this stack's functions read the bucket (CloudTrail records its API calls); server access logs would need a second bucket for build artifacts.
  #checkov:skip=CKV_AWS_144:The artifact is rebuilt from data/ by `invoke train`; a replica in a second region would cost more than recreating it.
  #checkov:skip=CKV_AWS_145:SSE-S3 (AES256) encrypts it at rest; a customer managed KMS key would add cost and key upkeep for a non-secret model artifact.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to uploads: functions load the model named by MODEL_PREFIX on cold start.
  bucket_prefix = "${var.name}-models-"
  # Holds only build outputs that `invoke deploy` recreates, so destroy may remove every version.
  force_destroy = true
}

resource "aws_s3_bucket_versioning" "models" {
  bucket = aws_s3_bucket.models.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "models" {
  #checkov:skip=CKV_AWS_300:Model files are single PUTs from Terraform (no multipart uploads to abort); moto 5.2.1 also never settles such a rule.
  count  = var.expire_model_versions ? 1 : 0
  bucket = aws_s3_bucket.models.id

  rule {
    id     = "expire-old-versions"
    status = "Enabled"
    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.model_version_retention_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.models]
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.models
  to   = aws_s3_bucket_lifecycle_configuration.models[0]
}

resource "aws_s3_bucket_public_access_block" "models" {
  bucket                  = aws_s3_bucket.models.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "models" {
  bucket = aws_s3_bucket.models.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

data "aws_iam_policy_document" "models" {
  statement {
    sid       = "DenyWithoutTls"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.models.arn, "${aws_s3_bucket.models.arn}/*"]
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

resource "aws_s3_bucket_policy" "models" {
  # The local cloud speaks plain HTTP (and enforces the deny): there, no TLS-only policy.
  count      = var.require_tls ? 1 : 0
  bucket     = aws_s3_bucket.models.id
  policy     = data.aws_iam_policy_document.models.json
  depends_on = [aws_s3_bucket_public_access_block.models]
}
