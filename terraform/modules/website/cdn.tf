# CloudFront: the site from the private bucket, and the API's stage path forwarded to
# API Gateway, so the page and its API share one origin (no CORS, CSP connect-src 'self').

locals {
  custom_domain = var.site_domain != ""
  # The site's security headers, shared with the local cloud's website route (localcloud/website.py).
  # The API is on the site's own origin here ('self'), so {api_origin} names nothing more.
  headers = jsondecode(file("${path.module}/security_headers.json"))
  csp     = trimspace(replace(replace(local.headers.content_security_policy, "{api_origin}", ""), " ;", ";"))
  # Managed policies (ids are the same in every account).
  caching_optimized             = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  caching_disabled              = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
  all_viewer_except_host_header = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
}

resource "aws_cloudfront_origin_access_control" "this" {
  count                             = var.cdn ? 1 : 0
  name                              = "${var.name}-site"
  description                       = "CloudFront reads the private site bucket"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_response_headers_policy" "this" {
  #checkov:skip=CKV_AWS_259:HSTS is sent for two years with subdomains; "preload" stays off (security_headers.json): joining browsers' preload list is the domain owner's decision.
  count   = var.cdn ? 1 : 0
  name    = "${var.name}-site"
  comment = "security_headers.json: CSP (own origin only), HSTS, nosniff, no framing"

  security_headers_config {
    content_security_policy {
      content_security_policy = local.csp
      override                = true
    }
    strict_transport_security {
      access_control_max_age_sec = local.headers.strict_transport_security.max_age_seconds
      include_subdomains         = local.headers.strict_transport_security.include_subdomains
      preload                    = local.headers.strict_transport_security.preload
      override                   = true
    }
    content_type_options {
      override = true # X-Content-Type-Options: nosniff
    }
    frame_options {
      frame_option = local.headers.frame_options
      override     = true
    }
    referrer_policy {
      referrer_policy = local.headers.referrer_policy
      override        = true
    }
  }
}

resource "aws_cloudfront_distribution" "this" {
  #checkov:skip=CKV_AWS_68:WAF for CloudFront must live in us-east-1; the optional rate rule (waf_rate_limit) sits on the API stage, where requests cost money; the rest is static files.
  #checkov:skip=CKV2_AWS_47:No WAF on the distribution (see CKV_AWS_68), and no Java behind it.
  #checkov:skip=CKV_AWS_86:Standard logs need an ACL-enabled log bucket; the API stage keeps JSON access logs of every API call.
  #checkov:skip=CKV_AWS_310:One origin per path: a static bucket and one regional API; a failover origin would be a second copy of the stack.
  #checkov:skip=CKV_AWS_374:A public site for anyone; no country is excluded.
  #checkov:skip=CKV2_AWS_42:A custom domain and certificate are optional (site_domain, site_certificate_arn); without them CloudFront's own certificate serves *.cloudfront.net.
  #checkov:skip=CKV_AWS_174:TLS 1.2+ is enforced whenever a custom certificate is set; with CloudFront's default certificate AWS always allows TLSv1 and rewrites any other value, so the plan would never settle.
  count               = var.cdn ? 1 : 0
  enabled             = true
  comment             = "${var.name} site and API"
  default_root_object = "index.html"
  price_class         = var.price_class
  http_version        = "http2and3"
  aliases             = local.custom_domain ? [var.site_domain] : []

  origin {
    origin_id                = "site"
    domain_name              = aws_s3_bucket.this.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.this[0].id
  }

  origin {
    origin_id   = "api"
    domain_name = var.api_domain
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  default_cache_behavior {
    target_origin_id           = "site"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = local.caching_optimized # objects carry their own Cache-Control (devtasks/site.py)
    response_headers_policy_id = aws_cloudfront_response_headers_policy.this[0].id
  }

  ordered_cache_behavior {
    path_pattern               = "/${var.api_stage}/*"
    target_origin_id           = "api"
    viewer_protocol_policy     = "https-only"
    allowed_methods            = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = local.caching_disabled
    origin_request_policy_id   = local.all_viewer_except_host_header
    response_headers_policy_id = aws_cloudfront_response_headers_policy.this[0].id
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = !local.custom_domain
    acm_certificate_arn            = local.custom_domain ? var.site_certificate_arn : null
    ssl_support_method             = local.custom_domain ? "sni-only" : null
    # The default certificate always accepts TLSv1 and AWS reports exactly that: asking
    # for more there only makes every plan show a change that never applies.
    minimum_protocol_version = local.custom_domain ? "TLSv1.2_2021" : "TLSv1"
  }
}
