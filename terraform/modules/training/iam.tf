# The job's role: read the Personalize tables, read and write its own run folders. Exact ARNs.

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["emr-serverless.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [aws_emrserverless_application.this.arn]
    }
  }
}

locals {
  data_buckets = [for b in var.data_buckets : "arn:${data.aws_partition.current.partition}:s3:::${b}"]
}

data "aws_iam_policy_document" "job" {
  statement {
    sid       = "ReadWriteRuns"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.this.arn}/runs/*"]
  }
  statement {
    sid       = "ListRuns"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.this.arn]
  }
  dynamic "statement" {
    for_each = length(local.data_buckets) > 0 ? [1] : []
    content {
      sid       = "ReadPersonalizeTables"
      actions   = ["s3:GetObject"]
      resources = [for arn in local.data_buckets : "${arn}/*"]
    }
  }
  dynamic "statement" {
    for_each = length(local.data_buckets) > 0 ? [1] : []
    content {
      sid       = "ListPersonalizeTables"
      actions   = ["s3:ListBucket"]
      resources = local.data_buckets
    }
  }
}

resource "aws_iam_role" "job" {
  name_prefix        = "${var.name}-statistics-"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "job" {
  name   = "statistics-job"
  role   = aws_iam_role.job.id
  policy = data.aws_iam_policy_document.job.json
}
