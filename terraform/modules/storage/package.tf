# The functions' deployment package, uploaded once under a content-addressed key (packages/<hash>.zip)
# that every function is created from. Given a local file instead, the provider uploads the whole
# zip once per function and creates them one at a time (it holds one lock across each upload and
# the wait that follows). A new package is a new key: the functions switch to it before the old
# object is deleted (create_before_destroy).

locals {
  package_key = "packages/${substr(sha256(var.package.hash), 0, 16)}.zip"
}

resource "aws_s3_object" "package" {
  bucket      = aws_s3_bucket.models.id
  key         = local.package_key
  source      = var.package.path
  source_hash = var.package.hash

  lifecycle {
    create_before_destroy = true
  }

  depends_on = [aws_s3_bucket_policy.models, aws_s3_bucket_server_side_encryption_configuration.models, aws_s3_bucket_public_access_block.models]
}
