# What Terraform can own of Amazon Personalize (hashicorp/aws has no Personalize resources,
# provider issue #30060): the bucket the CSVs are imported from, with the bucket policy that
# lets the service read it; the role the service assumes for imports; and the recommend
# function's permissions on the campaign, filter, users dataset and event tracker that
# `invoke deploy --backend personalize` creates with boto3 (devtasks/personalize.py).

data "aws_partition" "current" {}
data "aws_region" "current" {}
locals {
  # The account, read from an ARN this module creates (no STS call, so an offline plan works).
  account       = split(":", aws_iam_role.service.arn)[4]
  arn_prefix    = "arn:${data.aws_partition.current.partition}:personalize:${data.aws_region.current.name}:${local.account}"
  grant_runtime = var.campaign_arn != ""
}

resource "aws_s3_bucket" "data" {
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
