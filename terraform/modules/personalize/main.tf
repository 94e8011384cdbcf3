# What Terraform can own of Amazon Personalize (hashicorp/aws has no Personalize resources,
# provider issue #30060): the bucket the CSVs are imported from, with the bucket policy that
# lets the service read it; the role the service assumes for imports; and the recommend
# function's permissions on the campaign, filter, users dataset and event tracker that
# `invoke deploy --backend personalize` creates with boto3 (devtasks/personalize.py).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}
locals {
  # The account, read from an ARN this module creates (no STS call, so an offline plan works).
  account       = split(":", aws_iam_role.service.arn)[4]
  arn_prefix    = "arn:${data.aws_partition.current.partition}:personalize:${data.aws_region.current.name}:${local.account}"
  grant_runtime = var.campaign_arn != ""
}

resource "aws_s3_bucket" "data" {
  #checkov:skip=CKV_AWS_18:Only Amazon Personalize's import jobs read the bucket (CloudTrail records its API calls); server access logs would need a second bucket for copies of data/.
  #checkov:skip=CKV_AWS_144:It holds copies of the CSVs `invoke deploy` uploads before each import; a replica in a second region would cost more than uploading them again.
  #checkov:skip=CKV_AWS_145:SSE-S3 (AES256) encrypts it at rest; a customer managed KMS key would also need a key policy for Personalize, cost and upkeep for copies of files the user holds.
  #checkov:skip=CKV_AWS_21:Every deploy uploads the current CSVs again; older versions have no use, and the bucket is deleted with the stack.
  #checkov:skip=CKV2_AWS_61:Objects live as long as the stack (imports may run again); `invoke destroy` deletes them with the bucket.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to uploads: `invoke deploy` starts the import jobs itself.
  bucket_prefix = "${var.name}-personalize-"
  force_destroy = true # it holds copies of the imported CSVs only: `terraform destroy` removes them too
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "PersonalizeReadsImports"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
    principals {
      type        = "Service"
      identifiers = ["personalize.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }

  dynamic "statement" {
    # The local cloud speaks plain HTTP (and enforces the deny): there, no TLS-only statement.
    for_each = var.require_tls ? [1] : []
    content {
      sid       = "DenyWithoutTLS"
      effect    = "Deny"
      actions   = ["s3:*"]
      resources = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
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
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = data.aws_iam_policy_document.bucket.json

  depends_on = [aws_s3_bucket_public_access_block.data]
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["personalize.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "service" {
  name               = "${var.name}-personalize"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "service" {
  statement {
    sid       = "ReadImports"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [aws_s3_bucket.data.arn, "${aws_s3_bucket.data.arn}/*"]
  }
}

resource "aws_iam_role_policy" "service" {
  name   = "${var.name}-personalize"
  role   = aws_iam_role.service.id
  policy = data.aws_iam_policy_document.service.json
}

# The recommend function's calls; created once the campaign exists (its ARN is known).
data "aws_iam_policy_document" "function" {
  count = local.grant_runtime ? 1 : 0

  statement {
    sid       = "PersonalizeRecommend"
    actions   = ["personalize:GetRecommendations"]
    resources = [var.campaign_arn, var.filter_arn]
  }
  statement {
    sid       = "PersonalizeRecordUsers"
    actions   = ["personalize:PutUsers"]
    resources = [var.users_dataset_arn]
  }
  statement {
    # PutEvents authorizes on the event tracker, whose ARN the tracking id does not
    # name: the account's event trackers in this region are the narrowest known scope.
    sid       = "PersonalizeRecordEvents"
    actions   = ["personalize:PutEvents"]
    resources = ["${local.arn_prefix}:event-tracker/*"]
  }
}

resource "aws_iam_role_policy" "function" {
  count  = local.grant_runtime ? 1 : 0
  name   = "${var.name}-personalize-runtime"
  role   = var.function_role
  policy = data.aws_iam_policy_document.function[0].json
}
