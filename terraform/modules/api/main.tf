# The REST API, defined entirely by openapi.yaml.tftpl: routes, validation,
# CORS preflight, gateway responses and the Lambda proxy integrations.

locals {
  document = yamldecode(templatefile("${path.module}/openapi.yaml.tftpl", {
    title          = "${var.name} recommender API"
    api_invoke_arn = var.api_function.invoke_arn
    cors_origin    = var.cors_origin
  }))
  # The preflight anchor is expanded into every path; drop its definition.
  body = jsonencode({ for key, value in local.document : key => value if key != "x-cors-preflight" })
}

resource "aws_api_gateway_rest_api" "this" {
  name        = "${var.name}-api"
  description = "Product recommender API (OpenAPI: terraform/modules/api/openapi.yaml.tftpl)"
  body        = local.body

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  triggers = {
    redeployment = sha1(local.body)
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "this" {
  #checkov:skip=CKV_AWS_120:Every answer is personal (chosen items, metadata) or already cheap; responses carry Cache-Control: no-store.
  #checkov:skip=CKV2_AWS_51:A public, anonymous API called by the site from browsers: there is no client to hold a certificate.
  #checkov:skip=CKV2_AWS_29:The WAF rate rule is optional (waf_rate_limit); the stage's own throttling (throttle_rate_limit) always applies.
  #checkov:skip=CKV2_AWS_77:No Java runs behind this API (Lambda Python); the Log4j managed rule set would only add cost.
  #checkov:skip=CKV_AWS_73:X-Ray follows the tracing flag, which the root sets wherever X-Ray exists (AWS; the local cloud has none).
  #checkov:skip=CKV2_AWS_4:Execution logging is ERROR wherever the account's logging role can be set (access_logs flag: AWS).
  rest_api_id          = aws_api_gateway_rest_api.this.id
  deployment_id        = aws_api_gateway_deployment.this.id
  stage_name           = var.stage_name
  xray_tracing_enabled = var.tracing

  dynamic "access_log_settings" {
    for_each = var.access_logs ? [1] : []
    content {
      destination_arn = aws_cloudwatch_log_group.access[0].arn
      format = jsonencode({
        requestId         = "$context.requestId", extendedRequestId = "$context.extendedRequestId"
        ip                = "$context.identity.sourceIp", userAgent = "$context.identity.userAgent"
        time              = "$context.requestTime", method = "$context.httpMethod", path = "$context.resourcePath"
        status            = "$context.status", latencyMs = "$context.responseLatency", bytes = "$context.responseLength"
        integrationStatus = "$context.integration.status", integrationLatencyMs = "$context.integration.latency"
        error             = "$context.error.message", wafError = "$context.waf.error"
      })
    }
  }

  depends_on = [aws_api_gateway_account.this]
}

resource "aws_api_gateway_method_settings" "this" {
  #checkov:skip=CKV_AWS_225:Caching is off on purpose: every answer is personal or already cheap (see the stage).
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    throttling_rate_limit  = var.throttle_rate_limit
    throttling_burst_limit = var.throttle_burst_limit
    metrics_enabled        = var.access_logs
    logging_level          = var.access_logs ? "ERROR" : "OFF"
  }
}

resource "aws_lambda_permission" "this" {
  statement_id  = "AllowApiGatewayInvoke"
  action        = "lambda:InvokeFunction"
  function_name = var.api_function.name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/${var.stage_name}/*/*"
}
