# A REST API built from resources and methods: proxy, AWS (StartSyncExecution) and MOCK integrations.
resource "aws_api_gateway_rest_api" "classic" {
  name = "${var.name}-classic"
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.classic.id
  parent_id   = aws_api_gateway_rest_api.classic.root_resource_id
  path_part   = "items"
}

resource "aws_api_gateway_resource" "item" {
  rest_api_id = aws_api_gateway_rest_api.classic.id
  parent_id   = aws_api_gateway_resource.items.id
  path_part   = "{proxy+}"
}

resource "aws_api_gateway_method" "item" {
  rest_api_id   = aws_api_gateway_rest_api.classic.id
  resource_id   = aws_api_gateway_resource.item.id
  http_method   = "ANY"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "item" {
  rest_api_id             = aws_api_gateway_rest_api.classic.id
  resource_id             = aws_api_gateway_resource.item.id
  http_method             = aws_api_gateway_method.item.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.items.invoke_arn
}

resource "aws_api_gateway_resource" "sync" {
  rest_api_id = aws_api_gateway_rest_api.classic.id
  parent_id   = aws_api_gateway_rest_api.classic.root_resource_id
  path_part   = "sync"
}

resource "aws_api_gateway_method" "sync" {
  rest_api_id   = aws_api_gateway_rest_api.classic.id
  resource_id   = aws_api_gateway_resource.sync.id
  http_method   = "POST"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "sync" {
  rest_api_id             = aws_api_gateway_rest_api.classic.id
  resource_id             = aws_api_gateway_resource.sync.id
  http_method             = aws_api_gateway_method.sync.http_method
  type                    = "AWS"
  integration_http_method = "POST"
  uri                     = "arn:aws:apigateway:us-east-1:states:action/StartSyncExecution"
  credentials             = aws_iam_role.sfn.arn
  request_templates = {
    "application/json" = <<-VTL
      {"stateMachineArn": "$stageVariables.express_arn", "name": "$context.requestId", "input": "$util.escapeJavaScript($input.json('$'))"}
    VTL
  }
}

resource "aws_api_gateway_method_response" "sync" {
  rest_api_id = aws_api_gateway_rest_api.classic.id
  resource_id = aws_api_gateway_resource.sync.id
  http_method = aws_api_gateway_method.sync.http_method
  status_code = "200"
}

resource "aws_api_gateway_integration_response" "sync" {
  rest_api_id = aws_api_gateway_rest_api.classic.id
  resource_id = aws_api_gateway_resource.sync.id
  http_method = aws_api_gateway_method.sync.http_method
  status_code = aws_api_gateway_method_response.sync.status_code
  response_templates = {
    "application/json" = "#set($out = $util.parseJson($input.path('$.output')))\n{\"status\": \"$input.path('$.status')\", \"result\": $input.path('$.output'), \"label\": \"$out.label\"}"
  }
  depends_on = [aws_api_gateway_integration.sync]
}

resource "aws_api_gateway_method" "sync_options" {
  rest_api_id   = aws_api_gateway_rest_api.classic.id
  resource_id   = aws_api_gateway_resource.sync.id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "sync_options" {
  rest_api_id       = aws_api_gateway_rest_api.classic.id
  resource_id       = aws_api_gateway_resource.sync.id
  http_method       = aws_api_gateway_method.sync_options.http_method
  type              = "MOCK"
  request_templates = { "application/json" = "{\"statusCode\": 200}" }
}

resource "aws_api_gateway_method_response" "sync_options" {
  rest_api_id = aws_api_gateway_rest_api.classic.id
  resource_id = aws_api_gateway_resource.sync.id
  http_method = aws_api_gateway_method.sync_options.http_method
  status_code = "200"
  response_parameters = {
    "method.response.header.Access-Control-Allow-Origin"  = true
    "method.response.header.Access-Control-Allow-Methods" = true
    "method.response.header.Access-Control-Allow-Headers" = true
  }
}

resource "aws_api_gateway_integration_response" "sync_options" {
  rest_api_id = aws_api_gateway_rest_api.classic.id
  resource_id = aws_api_gateway_resource.sync.id
  http_method = aws_api_gateway_method.sync_options.http_method
  status_code = aws_api_gateway_method_response.sync_options.status_code
  response_parameters = {
    "method.response.header.Access-Control-Allow-Origin"  = "'*'"
    "method.response.header.Access-Control-Allow-Methods" = "'POST,OPTIONS'"
    "method.response.header.Access-Control-Allow-Headers" = "'Content-Type'"
  }
  depends_on = [aws_api_gateway_integration.sync_options]
}

resource "aws_api_gateway_deployment" "classic" {
  rest_api_id = aws_api_gateway_rest_api.classic.id
  depends_on = [
    aws_api_gateway_integration.item, aws_api_gateway_integration.sync, aws_api_gateway_integration.sync_options,
    aws_api_gateway_integration_response.sync, aws_api_gateway_integration_response.sync_options,
  ]
}

resource "aws_api_gateway_stage" "classic" {
  rest_api_id   = aws_api_gateway_rest_api.classic.id
  deployment_id = aws_api_gateway_deployment.classic.id
  stage_name    = "test"
  variables     = { express_arn = aws_sfn_state_machine.express.arn }
}
