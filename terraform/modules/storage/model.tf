# The model artifact, uploaded under a content-addressed prefix (models/<hash>/) before
# any function is pointed at it. A new model is a new prefix: the new objects are created
# first, the functions switch to them, and only then are the old keys deleted
# (create_before_destroy), so no container ever reads a half-written or missing model.

locals {
  model_files  = sort(fileset(var.model_dir, "*"))
  model_hash   = substr(sha256(join("\n", [for file in local.model_files : "${file}:${filesha256("${var.model_dir}/${file}")}"])), 0, 16)
  model_prefix = "${var.model_root}${local.model_hash}/"
}

resource "aws_s3_object" "model" {
  for_each = toset(local.model_files)

  bucket = aws_s3_bucket.models.id
  key    = "${local.model_prefix}${each.value}"
  source = "${var.model_dir}/${each.value}"
  etag   = filemd5("${var.model_dir}/${each.value}")

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [aws_s3_bucket_policy.models, aws_s3_bucket_server_side_encryption_configuration.models, aws_s3_bucket_public_access_block.models]
}
