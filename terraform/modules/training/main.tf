# The statistics step of training on EMR Serverless (`invoke train --engine spark --target aws`):
# a Spark application that costs nothing while idle, a private work bucket for the job (its script,
# plan, encoded users, the statistics it writes, logs) and the job's role.

data "aws_partition" "current" {}

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18:Only the Spark job and `invoke train` touch it (CloudTrail records their API calls); server access logs would need a second bucket.
  #checkov:skip=CKV_AWS_144:It holds one run's scratch files (job, inputs, statistics, logs), expired after keep_runs_days; a replica would only add cost.
  #checkov:skip=CKV_AWS_145:SSE-S3 (AES256) encrypts it at rest; a customer managed KMS key would add a key policy for EMR Serverless, cost and upkeep for scratch files.
  #checkov:skip=CKV_AWS_21:Each run writes under its own prefix and nothing is rewritten; versions would keep expired scratch files alive.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to uploads: `invoke train` starts the job run itself.
  bucket_prefix = "${var.name}-training-"
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# Each run writes under runs/<id>/; the solve reads the statistics at once, so old runs can go.
resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "expire-runs"
    status = "Enabled"

    filter {
      prefix = "runs/"
    }

    expiration {
      days = var.keep_runs_days
    }
  }

  rule {
    id     = "abort-uploads"
    status = "Enabled"
    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

resource "aws_emrserverless_application" "this" {
  name          = "${var.name}-statistics"
  release_label = var.release_label
  type          = "spark"
  architecture  = "X86_64"

  maximum_capacity {
    cpu    = "${var.max_vcpu} vCPU"
    memory = "${var.max_vcpu * 4} GB"
    disk   = "${var.max_vcpu * 20} GB"
  }

  auto_start_configuration {
    enabled = true
  }

  # Workers stop after this idle time: an application without running jobs is not billed.
  auto_stop_configuration {
    enabled              = true
    idle_timeout_minutes = 15
  }
}
