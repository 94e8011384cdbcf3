# One provider block for both targets. On `local` it talks to the local cloud at
# var.local_endpoint with dummy credentials; on `aws` it uses the default credentials chain.
provider "aws" {
  region = var.region

  access_key                  = local.is_local ? "test" : null
  secret_key                  = local.is_local ? "test" : null
  skip_credentials_validation = local.is_local
  skip_metadata_api_check     = local.is_local
  skip_requesting_account_id  = local.is_local
  skip_region_validation      = local.is_local
  s3_use_path_style           = local.is_local

  dynamic "endpoints" {
    for_each = local.is_local ? [var.local_endpoint] : []
    content {
      apigateway     = endpoints.value
      cloudfront     = endpoints.value
      cloudwatchlogs = endpoints.value
      dynamodb       = endpoints.value
      iam            = endpoints.value
      lambda         = endpoints.value
      s3             = endpoints.value
      sfn            = endpoints.value
      sts            = endpoints.value
      wafv2          = endpoints.value
    }
  }

  default_tags {
    tags = {
      Project   = "product-recommender"
      Stack     = local.name
      Target    = var.target
      ManagedBy = "terraform"
    }
  }
}
