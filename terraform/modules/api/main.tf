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
  rest_api_id   = aws_api_gateway_rest_api.this.id
  deployment_id = aws_api_gateway_deployment.this.id
  stage_name    = var.stage_name
}

resource "aws_api_gateway_method_settings" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    throttling_rate_limit  = var.throttle_rate_limit
    throttling_burst_limit = var.throttle_burst_limit
  }
}

resource "aws_lambda_permission" "this" {
  statement_id  = "AllowApiGatewayInvoke"
  action        = "lambda:InvokeFunction"
  function_name = var.api_function.name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/${var.stage_name}/*/*"
}
