resource "aws_s3_bucket" "site" {
  bucket        = "${var.name}-site"
  force_destroy = true
}

resource "aws_s3_bucket_website_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  index_document {
    suffix = "index.html"
  }
}

resource "aws_s3_object" "index" {
  bucket       = aws_s3_bucket.site.id
  key          = "index.html"
  source       = "${var.site_dir}/index.html"
  etag         = filemd5("${var.site_dir}/index.html")
  content_type = "text/html"
}

resource "aws_s3_object" "script" {
  bucket       = aws_s3_bucket.site.id
  key          = "js/app.js"
  source       = "${var.site_dir}/app.js"
  etag         = filemd5("${var.site_dir}/app.js")
  content_type = "text/javascript"
}

resource "aws_dynamodb_table" "items" {
  name         = "${var.name}-items"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"
  attribute {
    name = "pk"
    type = "S"
  }
}
